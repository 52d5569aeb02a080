/**
 * Native TensorFlow (`@tensorflow/tfjs-node`, backend "tensorflow"): it is the backend the tutorial uses
 * wherever set-up could provide it, its replaced kernels match the `cpu` backend's, training on it matches
 * cpu step by step and leaks nothing, and a model it saves loads on the wasm fallback.
 *
 * Where native TensorFlow is not installed these tests are skipped, and say so; in CI on Linux x86-64
 * set-up builds it, so there a missing native backend is a failure.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { Rank, Tensor, Tensor1D, Tensor4D } from "@tensorflow/tfjs";
import { initBackend, initWasmBackend, tf } from "../../lib/backend";
import { hasOneDnn } from "../../lib/backend/native-kernels/kernel-utils";
import { ARTICLE_VARIANT } from "../../lib/training";
import { loadModel, saveModel } from "../../lib/training/model-store";
import { temporaryDirs } from "../helpers/temp-dirs";
import { batch, random } from "../helpers/tensors";
import { slowTier } from "../helpers/test-tier";

const nativeLoaded = tf.findBackend("tensorflow") !== null;
const expectNative =
  process.env.CI === "true" && process.platform === "linux" && process.arch === "x64";
const skip = nativeLoaded
  ? false
  : "native TensorFlow (@tensorflow/tfjs-node) is not installed here";
if (skip) console.log(`# native.test.ts: skipped, ${skip}`);

test(
  "CI on Linux x86-64 runs on native TensorFlow",
  { skip: expectNative ? false : "not CI on Linux x86-64" },
  async () => {
    const info = await initBackend();
    assert.equal(
      info.name,
      "tensorflow",
      `set-up should have built tfjs-node here; the backend is ${info.summary}`,
    );
  },
);

test(
  "CI on Linux x86-64 has TensorFlow's oneDNN kernels",
  { skip: expectNative ? false : "not CI on Linux x86-64" },
  async () => {
    assert.ok(await tf.setBackend("tensorflow"));
    assert.ok(hasOneDnn(), "TensorFlow from the pinned wheel should run oneDNN's kernels here");
  },
);

type Backend = "cpu" | "tensorflow" | "wasm";

/** f's result on a backend, as plain numbers. */
async function resultOn(backend: Backend, f: () => Tensor | Tensor[]): Promise<number[][]> {
  assert.ok(await tf.setBackend(backend));
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const data = list.map((t) => Array.from(t.dataSync()));
  tf.dispose(list);
  return data;
}

function assertClose(actual: number[][], expected: number[][], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((values, k) => {
    assert.equal(actual[k].length, values.length, `${what}, output ${k}: length`);
    values.forEach((e, i) => {
      const a = actual[k][i];
      const ok = Number.isNaN(e)
        ? Number.isNaN(a)
        : a === e || Math.abs(a - e) <= tol * (1 + Math.abs(e));
      assert.ok(ok, `${what}, output ${k}, element ${i}: tensorflow ${a} vs cpu ${e}`);
    });
  });
}

async function sameOnNativeAndCpu(
  f: () => Tensor | Tensor[],
  what: string,
  tol = 1e-4,
): Promise<void> {
  const cpu = await resultOn("cpu", f);
  const native = await resultOn("tensorflow", f);
  assertClose(native, cpu, tol, what);
}

describe("native TensorFlow kernels against the cpu backend", { skip }, () => {
  test("Step (the ReLU gradient), with zeros, NaN and infinities", async () => {
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30];
    await sameOnNativeAndCpu(
      () => tf.step(tf.concat([random([3, 5, 5, 2], 1).flatten(), tf.tensor1d(special)])),
      "step",
    );
    await sameOnNativeAndCpu(() => tf.step(random([4, 6], 2), 0.3), "step with alpha 0.3");
  });

  test("ReLU gradient (TensorFlow's ReluGrad), with zeros, NaN and infinities in x and dy", async () => {
    const x = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 1, -1, 2, -2];
    const dy = [1, 1, 2, 3, 4, 5, 6, NaN, NaN, Infinity, -Infinity];
    await sameOnNativeAndCpu(() => {
      const xs = tf.concat([random([2, 4, 4, 3], 22).flatten(), tf.tensor1d(x)]);
      const dys = tf.concat([random([2, 4, 4, 3], 23).flatten(), tf.tensor1d(dy)]);
      return tf.grad((input: Tensor) => tf.relu(input).mul(dys).sum())(xs);
    }, "relu gradient");
  });

  test("ReLU gradients of fused conv and dense layers", async () => {
    await sameOnNativeAndCpu(() => {
      const x = random([2, 6, 6, 3], 3);
      const filter = random([3, 3, 3, 4], 4);
      const bias = random([4], 5);
      const f = (xs: Tensor, w: Tensor) =>
        tf.fused
          .conv2d({
            x: xs as Tensor4D,
            filter: w as Tensor4D,
            strides: 1,
            pad: "same",
            bias,
            activation: "relu",
          })
          .sum();
      return tf.grads(f)([x, filter]);
    }, "fused conv2d relu gradients");
  });

  /** Kernels (tfjs-level) that ran in f on native TensorFlow with oneDNN, or undefined without oneDNN. */
  async function kernelsWithOneDnn(f: () => void): Promise<Set<string> | undefined> {
    assert.ok(await tf.setBackend("tensorflow"));
    if (!hasOneDnn()) return undefined;
    const { kernels } = await tf.profile(f);
    return new Set(kernels.map((k) => k.name));
  }

  const convCases = [
    { strides: 1, pad: "same", dilations: 1, activation: "linear" },
    { strides: 2, pad: "valid", dilations: 1, activation: "relu" },
    { strides: 1, pad: "same", dilations: 2, activation: "linear" },
  ] as const;
  for (const { strides, pad, dilations, activation } of convCases) {
    test(`fused conv2d with bias: output and gradients, strides ${strides}, ${pad}, dilations ${dilations}, ${activation}`, async () => {
      await sameOnNativeAndCpu(() => {
        const x = random([2, 7, 7, 3], 30);
        const filter = random([3, 3, 3, 4], 31);
        const bias = random([4], 32);
        const conv = (xs: Tensor, w: Tensor, b: Tensor) =>
          tf.fused.conv2d({
            x: xs as Tensor4D,
            filter: w as Tensor4D,
            bias: b,
            strides,
            pad,
            dilations,
            activation,
          });
        const out = conv(x, filter, bias);
        // tfjs-core has no gradient for dilated convolutions: their forward pass only
        if (dilations > 1) return out;
        const weights = tf.tidy(() => random(out.shape, 33));
        const loss = (...inputs: Tensor[]) =>
          conv(inputs[0], inputs[1], inputs[2]).mul(weights).sum();
        return [out, ...tf.grads(loss)([x, filter, bias])];
      }, `fused conv2d, strides ${strides}, ${pad}, dilations ${dilations}`);
    });
  }

  test("fused conv2d with bias adds no separate bias on native with oneDNN", async (t) => {
    const names = await kernelsWithOneDnn(() =>
      tf.tidy(() => {
        tf.fused.conv2d({
          x: random([1, 5, 5, 2], 34) as Tensor4D,
          filter: random([3, 3, 2, 3], 35) as Tensor4D,
          bias: random([3], 36),
          strides: 1,
          pad: "same",
        });
      }),
    );
    if (names === undefined) return t.skip("this TensorFlow has no oneDNN kernels");
    assert.ok(names.has("FusedConv2D"));
    assert.ok(!names.has("Add"), "an Add ran: the stock conv + add path was used");
  });

  const poolCases = [
    { shape: [2, 6, 6, 3], size: 2, strides: 2, pad: "valid" },
    { shape: [2, 7, 7, 3], size: 2, strides: 2, pad: "same" },
    { shape: [1, 5, 6, 2], size: 3, strides: 1, pad: "same" },
  ] as const;
  for (const { shape, size, strides, pad } of poolCases) {
    test(`max-pool gradient with ties, x ${shape}, ${size}×${size} / ${strides}, ${pad}`, async () => {
      await sameOnNativeAndCpu(() => {
        // ReLU, then rounding: many windows hold equal maxima (zeros above all), as after ReLU in a network
        const x = tf.tidy(() =>
          tf
            .relu(random([...shape], 37))
            .mul(3)
            .round(),
        );
        const pooled = tf.maxPool(x as Tensor4D, size, strides, pad);
        const weights = tf.tidy(() => random(pooled.shape, 38));
        return tf.grad((xs: Tensor) =>
          tf
            .maxPool(xs as Tensor4D, size, strides, pad)
            .mul(weights)
            .sum(),
        )(x);
      }, `max-pool gradient, x ${shape}`);
    });
  }

  test("max-pool gradient runs no stock MaxPoolGrad on native with oneDNN", async (t) => {
    const names = await kernelsWithOneDnn(() =>
      tf.tidy(() => {
        tf.grad((x: Tensor) => tf.maxPool(x as Tensor4D, 2, 2, "valid").sum())(
          random([1, 4, 4, 2], 39),
        );
      }),
    );
    if (names === undefined) return t.skip("this TensorFlow has no oneDNN kernels");
    assert.ok(names.has("MaxPool"));
    assert.ok(!names.has("MaxPoolGrad"), "the stock max-pool gradient ran");
  });

  for (const shape of [
    [4, 5, 5, 3],
    [6, 8],
  ]) {
    test(`batch-norm gradients in training (moments of the batch), x ${shape}`, async () => {
      await sameOnNativeAndCpu(
        () => {
          const channels = shape[shape.length - 1];
          const axes = shape.slice(0, -1).map((_, i) => i);
          const x = random(shape, 6);
          const scale = random([channels], 7).add(1.5);
          const offset = random([channels], 8);
          const weights = random(shape, 9);
          const f = (xs: Tensor, s: Tensor, o: Tensor) => {
            const { mean, variance } = tf.moments(xs, axes);
            return tf
              .batchNorm(xs, mean, variance, o as Tensor1D, s as Tensor1D, 1e-3)
              .mul(weights)
              .sum();
          };
          return tf.grads(f)([x, scale, offset]);
        },
        `batch-norm gradients, x ${shape}`,
        2e-4,
      );
    });
  }

  test("batch-norm gradients with fixed statistics (mean, variance as inputs)", async () => {
    await sameOnNativeAndCpu(
      () => {
        const [x, mean, variance, scale, offset] = [
          random([3, 4, 4, 5], 10),
          random([5], 11),
          random([5], 12).abs().add(0.5),
          random([5], 13),
          random([5], 14),
        ];
        const f = (...args: Tensor[]) =>
          tf.batchNorm(args[0], args[1], args[2], args[4], args[3], 1e-3).mul(args[0]).sum();
        return tf.grads(f)([x, mean, variance, scale, offset]);
      },
      "batch-norm gradients for all five inputs",
      2e-4,
    );
  });

  /** A BatchNormalization layer's output, gradients and moving statistics after two training calls. */
  function trainBatchNormalization(shape: number[]): Tensor[] {
    const channels = shape[shape.length - 1];
    const layer = tf.layers.batchNormalization({ momentum: 0.9 });
    const x = random(shape, 16).mul(3).add(1);
    layer.build(x.shape);
    layer.setWeights([
      random([channels], 17).add(1.5),
      random([channels], 18),
      random([channels], 19),
      random([channels], 20).abs().add(0.5),
    ]);
    const weights = random(shape, 21);
    const loss = (xs: Tensor) => (layer.apply(xs, { training: true }) as Tensor).mul(weights).sum();
    const dx = tf.grad(loss)(x);
    const { grads } = tf.variableGrads(() => loss(x) as Tensor<Rank.R0>);
    const out = [
      layer.apply(x, { training: true }) as Tensor,
      dx,
      ...Object.values(grads),
      ...layer.getWeights().map((w) => w.clone()),
    ];
    for (const variable of layer.weights) variable.dispose(); // (dispose() wants a layer in a model)
    return out;
  }

  for (const shape of [
    [4, 5, 5, 3],
    [6, 8],
  ]) {
    test(`BatchNormalization layer in training (one fused op on native), x ${shape}`, async () => {
      await sameOnNativeAndCpu(
        () => trainBatchNormalization(shape),
        `BatchNormalization in training, x ${shape}`,
        2e-4,
      );
    });
  }

  test("BatchNormalization in training computes no separate moments on native", async () => {
    assert.ok(await tf.setBackend("tensorflow"));
    const { kernels } = await tf.profile(() => tf.dispose(trainBatchNormalization([4, 5, 5, 3])));
    const names = new Set(kernels.map((k) => k.name));
    for (const stockOp of ["SquaredDifference", "Mean"]) {
      assert.ok(!names.has(stockOp), `${stockOp} ran: the stock batch-norm path was used`);
    }
  });

  /** A seeded Dropout layer's output in training and the gradient of its sum, on native. */
  async function dropoutOnNative(seed: number, x: Tensor): Promise<{ y: number[]; dx: number[] }> {
    assert.ok(await tf.setBackend("tensorflow"));
    const layer = tf.layers.dropout({ rate: 0.25, seed });
    const apply = (xs: Tensor) => layer.apply(xs, { training: true }) as Tensor;
    const [y, dx] = tf.tidy(() => [apply(x), tf.grad((xs: Tensor) => apply(xs).sum())(x)]);
    const result = { y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
    tf.dispose([y, dx]);
    return result;
  }

  test("Dropout in training: TensorFlow's generator, seeded, a quarter dropped, gradient = mask", async () => {
    assert.ok(await tf.setBackend("tensorflow"));
    const x = tf.tidy(() => random([8, 10, 10, 16], 40).add(2)); // no zeros in x: a zero is a dropped one
    const first = await dropoutOnNative(7, x);
    const again = await dropoutOnNative(7, x);
    const otherSeed = await dropoutOnNative(8, x);
    const xs = Array.from(x.dataSync());
    const dropped = first.y.filter((v) => v === 0).length / xs.length;
    assert.ok(Math.abs(dropped - 0.25) < 0.02, `${(dropped * 100).toFixed(1)}% dropped, not 25%`);
    first.y.forEach((v, i) => {
      const kept = v !== 0;
      if (kept) assert.ok(Math.abs(v - xs[i] / 0.75) < 1e-5, `element ${i}: ${v} is not x / keep`);
      assert.ok(Math.abs(first.dx[i] - (kept ? 1 / 0.75 : 0)) < 1e-6, `element ${i}: gradient`);
    });
    assert.deepEqual(again.y, first.y, "the same seed gave another mask");
    assert.notDeepEqual(otherSeed.y, first.y, "another seed gave the same mask");
    const stock = tf.tidy(() => Array.from(tf.dropout(x, 0.25, undefined, 7).dataSync()));
    assert.notDeepEqual(first.y, stock, "the mask is tfjs-core's: the replacement did not run");
    x.dispose();
  });

  test("Mean gradient", async () => {
    await sameOnNativeAndCpu(
      () =>
        tf.grad((x: Tensor) => tf.mean(x, [0, 1, 2]).mul(tf.range(1, 4)).sum())(
          random([2, 3, 4, 3], 15),
        ),
      "mean gradient",
    );
  });
});

describe(
  "a model trained on native TensorFlow (in graph mode), loaded on the wasm fallback",
  { skip: slowTier("trains a model").skip || skip },
  () => {
    const tempDir = temporaryDirs("fmnist-native-");

    before(async () => {
      await initWasmBackend();
    });

    test("predicts the same classes and probabilities", async () => {
      assert.ok(await tf.setBackend("tensorflow"));
      const dir = tempDir();
      const trained = ARTICLE_VARIANT.build(3);
      trained.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "categoricalCrossentropy" });
      const { x, y } = batch(16, 28, 10);
      // The first step makes the momentum, the second is recorded; the three after it run as a graph.
      for (let step = 0; step < 5; step++) await trained.trainOnBatch(x, y);
      const nativeProbs = tf.tidy(() => trained.predict(x) as Tensor);
      const expected = Array.from(nativeProbs.dataSync());
      const expectedClasses = Array.from(nativeProbs.argMax(-1).dataSync());
      tf.dispose([nativeProbs, x, y]);
      await saveModel(trained, dir);
      trained.dispose();

      assert.ok(await tf.setBackend("wasm"));
      const loaded = await loadModel(dir);
      const again = batch(16, 28, 10);
      const wasmProbs = tf.tidy(() => loaded.predict(again.x) as Tensor);
      const actual = Array.from(wasmProbs.dataSync());
      const classes = Array.from(wasmProbs.argMax(-1).dataSync());
      tf.dispose([wasmProbs, again.x, again.y]);
      loaded.dispose();
      assert.deepEqual(classes, expectedClasses);
      expected.forEach((p, i) =>
        assert.ok(
          Math.abs(actual[i] - p) <= 1e-4,
          `probability ${i}: wasm ${actual[i]} vs tensorflow ${p}`,
        ),
      );
    });
  },
);
