// Slow tier: trains MiniVGGNet on native TensorFlow, eagerly and as graphs.
/**
 * Graph mode (lib/backend/graph-mode/): on native TensorFlow each training step of `fit` and `trainOnBatch`
 * runs as one TensorFlow graph made from a recording of the eager step. These tests hold it to the eager
 * path on real Fashion-MNIST batches: every step gives the same loss, accuracy, weights and momentum from
 * the same state, with the learning rate changing every batch and seeded dropout; the graph really runs
 * (a handful of kernels per step instead of hundreds); a seeded run repeats; no tensor is left behind; and
 * what graph mode cannot capture runs eagerly, saying why once.
 *
 * Why step by step from a shared state, and not twenty free-running steps: a graph's fused kernels round
 * differently (about 1e-7 of a weight per step), and the first steps of this network amplify any such
 * difference, in whichever path it arises: the eager path alone, with its weights changed by 3e-7, ends
 * twenty steps with weights 10–90% apart. So each step is compared from the same state.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LayersModel, Optimizer, SGDOptimizer, Tensor, Variable } from "@tensorflow/tfjs";
import { initBackend, runEagerly, tf } from "../../lib/backend";
import { loadFashionMnist } from "../../lib/data";
import { miniVGGNet, seedInitialWeights } from "../../lib/model";
import { graphSetting } from "../../lib/settings";
import { slowTier } from "../helpers/test-tier";

const nativeLoaded = tf.findBackend("tensorflow") !== null;
const skip =
  slowTier("trains a model").skip ||
  (nativeLoaded ? false : "native TensorFlow (@tensorflow/tfjs-node) is not installed here");

const BATCH = 32;
const STEPS = 20;
/** Relative tolerance of one step's results, eager against graph. */
const TOLERANCE = 1e-5;

interface Batches {
  x: Tensor;
  y: Tensor;
}

type Momentum = { accumulations: Array<{ variable: Variable }> };

function build(eager: boolean, optimizer: Optimizer = tf.train.momentum(0.01, 0.9)): LayersModel {
  const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
  seedInitialWeights(model, 42);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  if (eager) runEagerly(model);
  return model;
}

/** Each Dropout layer's seed for this step, as the training does (a new seed per layer and step). */
function seedDropout(model: LayersModel, step: number): void {
  model.layers
    .filter((layer) => layer.getClassName() === "Dropout")
    .forEach((layer, i) => ((layer as unknown as { seed: number }).seed = 1000 + 10 * step + i));
}

/** The model's weights and the optimiser's momentum, as arrays. */
function state(model: LayersModel): Float32Array[] {
  const momentum = (model.optimizer as unknown as Momentum).accumulations ?? [];
  return [...model.weights.map((w) => w.read()), ...momentum.map((a) => a.variable)].map(
    (t) => t.dataSync() as Float32Array,
  );
}

/** The largest relative L2 difference over the tensors of two states. */
function worstDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  a.forEach((values, k) => {
    let diff = 0;
    let norm = 0;
    values.forEach((v, i) => {
      diff += (v - b[k][i]) ** 2;
      norm += v * v;
    });
    worst = Math.max(worst, Math.sqrt(diff / Math.max(norm, 1e-30)));
  });
  return worst;
}

/** Give `to` the weights and momentum of `from`. */
function copyState(from: LayersModel, to: LayersModel): void {
  to.setWeights(from.getWeights());
  const source = (from.optimizer as unknown as Momentum).accumulations;
  (to.optimizer as unknown as Momentum).accumulations.forEach((a, i) =>
    a.variable.assign(source[i].variable),
  );
}

/** Kernels tfjs runs for one training step: hundreds eagerly, a few for a graph step. */
async function kernelsOfStep(model: LayersModel, x: Tensor, y: Tensor): Promise<number> {
  const info = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  return info.kernels.length;
}

describe("graph mode on native TensorFlow", { skip }, () => {
  let data: Batches;

  before(async () => {
    const info = await initBackend();
    assert.equal(info.name, "tensorflow");
    assert.ok(info.graph && graphSetting(), "graph mode is on by default");
    const { train } = await loadFashionMnist({
      limitTrain: BATCH * STEPS + 24,
      limitTest: 1,
      download: false,
    });
    const n = train.labels.length;
    data = tf.tidy(() => ({
      x: tf.div(tf.tensor4d(Float32Array.from(train.images), [n, 28, 28, 1]), 255),
      y: tf.oneHot(tf.tensor1d(Int32Array.from(train.labels), "int32"), 10).toFloat(),
    }));
  });

  after(() => tf.dispose([data.x, data.y]));

  test("each step equals the eager step from the same state, the last smaller batch too", async () => {
    const eager = build(true);
    const graph = build(false);
    const sizes = [...Array(STEPS).fill(BATCH), 24];
    let start = 0;
    for (const [step, size] of sizes.entries()) {
      for (const model of [eager, graph]) {
        seedDropout(model, step);
        (model.optimizer as SGDOptimizer).setLearningRate(0.01 / (1 + 0.05 * step));
      }
      const x = data.x.slice(start, size);
      const y = data.y.slice(start, size);
      start += size;
      const expected = (await eager.trainOnBatch(x, y)) as number[];
      const actual = (await graph.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      expected.forEach((value, i) =>
        assert.ok(
          Math.abs(actual[i] - value) <= TOLERANCE * Math.abs(value),
          `step ${step}, ${["loss", "accuracy"][i]}: graph ${actual[i]}, eager ${value}`,
        ),
      );
      const difference = worstDifference(state(eager), state(graph));
      assert.ok(difference <= TOLERANCE, `step ${step}: weights or momentum ${difference} apart`);
      copyState(eager, graph);
    }
    eager.dispose();
    graph.dispose();
  });

  test("a graph step runs a few kernels where the eager step runs hundreds, and leaks nothing", async () => {
    const eager = build(true);
    const graph = build(false);
    const x = data.x.slice(0, BATCH);
    const y = data.y.slice(0, BATCH);
    // The first step makes the momentum, the second is recorded: the third runs the graph.
    for (let step = 0; step < 2; step++) await graph.trainOnBatch(x, y);
    const kernels = await kernelsOfStep(graph, x, y);
    const eagerKernels = await kernelsOfStep(eager, x, y);
    assert.ok(eagerKernels > 100, `an eager step ran ${eagerKernels} kernels`);
    assert.ok(kernels <= 10, `a graph step ran ${kernels} kernels`);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) await graph.trainOnBatch(x, y);
    assert.equal(tf.memory().numTensors, before, "tensors left behind by graph steps");
    tf.dispose([x, y]);
    eager.dispose();
    graph.dispose();
  });

  test("a seeded graph run repeats exactly, through fit with a per-batch schedule", async () => {
    const run = async () => {
      const model = build(false);
      const losses: number[] = [];
      const x = data.x.slice(0, BATCH * 6);
      const y = data.y.slice(0, BATCH * 6);
      await model.fit(x, y, {
        epochs: 2,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
        callbacks: {
          onBatchBegin: async (batch) => {
            seedDropout(model, batch);
            (model.optimizer as SGDOptimizer).setLearningRate(0.01 / (1 + 0.05 * batch));
          },
          onBatchEnd: async (_batch, logs) => {
            losses.push(logs?.loss as number);
          },
        },
      });
      tf.dispose([x, y]);
      const weights = state(model);
      model.dispose();
      return { losses, weights };
    };
    const first = await run();
    const second = await run();
    assert.equal(first.losses.length, 12);
    assert.deepEqual(second.losses, first.losses);
    assert.equal(worstDifference(first.weights, second.weights), 0);
  });

  test("predict and evaluate give the eager answers, in a few kernels, the last smaller batch too", async () => {
    const eager = build(true);
    const graph = build(false);
    const x = data.x.slice(0, 300);
    const y = data.y.slice(0, 300);
    // Trained a little, so that batch normalisation's moving statistics are not their initial values.
    for (const model of [eager, graph])
      for (let step = 0; step < 3; step++) await model.trainOnBatch(x, y);
    copyState(eager, graph);
    const probabilities = (model: LayersModel) => {
      const p = model.predict(x, { batchSize: 128 }) as Tensor;
      const values = p.dataSync() as Float32Array;
      p.dispose();
      return values;
    };
    const expected = probabilities(eager);
    for (let round = 0; round < 2; round++) {
      const actual = probabilities(graph);
      assert.ok(
        worstDifference([expected], [actual]) <= TOLERANCE,
        `round ${round}: probabilities apart`,
      );
    }
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => probabilities(graph));
    assert.ok(info.kernels.length <= 10, `a graph prediction ran ${info.kernels.length} kernels`);
    assert.equal(tf.memory().numTensors, before, "tensors left behind by graph predictions");
    const scores = async (model: LayersModel) => {
      const result = model.evaluate(x, y, { batchSize: 128 }) as Tensor[];
      const values = result.map((t) => t.dataSync()[0]);
      tf.dispose(result);
      return values;
    };
    const [expectedLoss, expectedAccuracy] = await scores(eager);
    await scores(graph); // records the graphs of both batch shapes
    // evaluate's own loop slices the batches and sums their scores; the forward passes are what goes.
    const graphKernels = (await tf.profile(() => scores(graph))).kernels.length;
    const eagerKernels = (await tf.profile(() => scores(eager))).kernels.length;
    assert.ok(
      graphKernels * 3 < eagerKernels,
      `evaluate ran ${graphKernels} kernels with graphs, ${eagerKernels} eagerly`,
    );
    for (let round = 0; round < 2; round++) {
      const [loss, accuracy] = await scores(graph);
      assert.ok(
        Math.abs(loss - expectedLoss) <= TOLERANCE * expectedLoss,
        `loss ${loss} vs ${expectedLoss}`,
      );
      assert.equal(accuracy, expectedAccuracy);
    }
    tf.dispose([x, y]);
    eager.dispose();
    graph.dispose();
  });

  test("one tensor fed twice (as input and target) trains as it does eagerly", async () => {
    const losses: number[][] = [];
    for (const eager of [true, false]) {
      const model = tf.sequential({
        layers: [tf.layers.dense({ inputShape: [4], units: 4, kernelInitializer: "ones" })],
      });
      model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "meanSquaredError" });
      if (eager) runEagerly(model);
      const x = tf.tensor2d([
        [1, 2, 3, 4],
        [0, 1, 0, 1],
      ]);
      const series: number[] = [];
      for (let step = 0; step < 6; step++) series.push((await model.trainOnBatch(x, x)) as number);
      const { kernels } = await tf.profile(() => model.trainOnBatch(x, x));
      if (!eager) assert.ok(kernels.length <= 5, `a graph step ran ${kernels.length} kernels`);
      losses.push(series);
      x.dispose();
      model.dispose();
    }
    losses[0].forEach((loss, i) =>
      assert.ok(
        Math.abs(losses[1][i] - loss) <= TOLERANCE * loss,
        `step ${i}: ${losses[1][i]} vs ${loss}`,
      ),
    );
  });

  test("an optimiser graph mode does not cover trains eagerly, saying why once", async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const model = build(false, tf.train.adam(0.001));
      const x = data.x.slice(0, BATCH);
      const y = data.y.slice(0, BATCH);
      const losses: number[] = [];
      for (let step = 0; step < 4; step++) losses.push((await model.trainOnBatch(x, y)) as number);
      tf.dispose([x, y]);
      model.dispose();
      assert.ok(losses[3] < losses[0], `Adam's loss went ${losses[0]} → ${losses[3]}`);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /op by op.*optimizer is Adam/);
  });
});
