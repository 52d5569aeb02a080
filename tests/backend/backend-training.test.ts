// Slow tier: trains MiniVGGNet steps on every backend.
/**
 * Training on the wasm backend with our kernels: no tensor leaks across steps, and the same losses as the
 * cpu backend from the same initial weights; the same for native TensorFlow where it is installed.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs";
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

async function lossesOn(
  backend: "cpu" | "wasm" | "tensorflow",
  weights: Float32Array[],
  steps: number,
): Promise<number[]> {
  assert.ok(await tf.setBackend(backend));
  const model = smallModel();
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: "categoricalCrossentropy" });
  const { x, y } = batch(6, 10, 3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) losses.push((await model.trainOnBatch(x, y)) as number);
  tf.dispose([x, y]);
  model.dispose();
  return losses;
}

for (const backend of ["wasm", "tensorflow"] as const) {
  const skip = backend === "tensorflow" ? nativeSkip : false;
  test(`SGD steps give the same losses on cpu and ${backend}`, { skip }, async () => {
    assert.ok(await tf.setBackend("cpu"));
    const initial = smallModel();
    const weights = initial.getWeights().map((w) => w.dataSync() as Float32Array);
    initial.dispose();

    const cpu = await lossesOn("cpu", weights, 5);
    const other = await lossesOn(backend, weights, 5);
    assert.ok(cpu[4] < cpu[0], `loss should fall: ${cpu.join(", ")}`);
    cpu.forEach((expected, i) => {
      assert.ok(
        Math.abs(other[i] - expected) <= 1e-4 * (1 + expected),
        `step ${i}: ${backend} ${other[i]} vs cpu ${expected}`,
      );
    });
  });
}
