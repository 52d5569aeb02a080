// Slow tier: trains MiniVGGNet steps on every backend.
/**
 * Training on the wasm backend with our kernels: no tensor leaks across steps, and the same losses as the
 * cpu backend from the same initial weights; the same for native TensorFlow where it is installed.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { LayersModel, Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import { initWasmBackend, tf } from "../../lib/backend";
import { miniVGGNet } from "../../lib/model";
import { batch } from "../helpers/tensors";

const nativeSkip =
  tf.findBackend("tensorflow") === null ? "native TensorFlow is not installed here" : false;

before(async () => {
  await initWasmBackend();
});

for (const backend of ["wasm", "tensorflow"] as const) {
  const skip = backend === "tensorflow" ? nativeSkip : false;
  test(`MiniVGGNet training steps on ${backend} leak no tensors`, { skip }, async () => {
    assert.ok(await tf.setBackend(backend));
    const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "categoricalCrossentropy" });
    const { x, y } = batch(8, 28, 10);
    await model.trainOnBatch(x, y); // creates the optimiser's momentum slots
    const counts: number[] = [];
    for (let step = 0; step < 4; step++) {
      await model.trainOnBatch(x, y);
      counts.push(tf.memory().numTensors);
    }
    assert.deepEqual(
      counts,
      counts.map(() => counts[0]),
      `tensor counts per step: ${counts.join(", ")}`,
    );
    tf.dispose([x, y]);
    model.dispose();
  });
}

/** Conv (same and strided valid) + BN + max-pool + dense + BN: every kernel the wasm module replaces. */
function smallModel(): LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [10, 10, 1],
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }),
      tf.layers.batchNormalization({ axis: -1 }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: "valid",
        activation: "relu",
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 8, activation: "relu" }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
}

/** The loss and the gradient of every trainable weight for one batch, from the given weights. */
function gradientsOn(model: LayersModel, x: Tensor, y: Tensor): Float32Array[] {
  const variables = model.trainableWeights.map((w) => w.read() as Variable);
  const { grads } = tf.variableGrads(
    () =>
      tf.tidy(() =>
        tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as Tensor).mean(),
      ) as Scalar,
    variables,
  );
  const values = variables.map((v) => grads[v.name].dataSync() as Float32Array);
  tf.dispose(Object.values(grads));
  return values;
}

async function trainOn(
  backend: "cpu" | "wasm" | "tensorflow",
  weights: Float32Array[],
  steps: number,
): Promise<{ gradients: Float32Array[]; losses: number[] }> {
  assert.ok(await tf.setBackend(backend));
  const model = smallModel();
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: "categoricalCrossentropy" });
  const { x, y } = batch(6, 10, 3);
  const gradients = gradientsOn(model, x, y);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) losses.push((await model.trainOnBatch(x, y)) as number);
  tf.dispose([x, y]);
  model.dispose();
  return { gradients, losses };
}

for (const backend of ["wasm", "tensorflow"] as const) {
  const skip = backend === "tensorflow" ? nativeSkip : false;
  test(`SGD steps give the same gradients and losses on cpu and ${backend}`, { skip }, async () => {
    assert.ok(await tf.setBackend("cpu"));
    const initial = smallModel();
    const weights = initial.getWeights().map((w) => w.dataSync() as Float32Array);
    initial.dispose();

    const cpu = await trainOn("cpu", weights, 5);
    const other = await trainOn(backend, weights, 5);
    assert.ok(cpu.losses[4] < cpu.losses[0], `loss should fall: ${cpu.losses.join(", ")}`);
    // One step from the same weights: any kernel's error shows here, before rounding compounds.
    cpu.gradients.forEach((expected, i) => {
      const scale = Math.max(...expected.map(Math.abs));
      const worst = Math.max(...expected.map((e, j) => Math.abs(other.gradients[i][j] - e)));
      assert.ok(worst <= 1e-4 * (1 + scale), `weight ${i}: ${backend} gradient off by ${worst}`);
    });
    // Over several steps, summation-order differences grow through momentum and batch statistics,
    // so the trajectory is held to a looser bound than one step.
    cpu.losses.forEach((expected, i) => {
      assert.ok(
        Math.abs(other.losses[i] - expected) <= 1e-3 * (1 + expected),
        `step ${i}: ${backend} ${other.losses[i]} vs cpu ${expected}`,
      );
    });
  });
}
