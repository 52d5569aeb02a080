import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import {
  accuracy,
  confusionMatrix,
  montageIndices,
  mostConfused,
  predict,
  probabilitiesOf,
} from "../../lib/evaluation";

describe("evaluation helpers", () => {
  before(async () => {
    await initBackend();
  });

  it("predict returns the argmax class and the softmax rows, and frees its tensors", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [3],
          units: 3,
          activation: "softmax",
          useBias: false,
          kernelInitializer: "identity",
        }),
      ],
    });
    const x = tf.tensor2d([
      [5, 0, 0],
      [0, 0, 5],
      [0, 5, 0],
      [1, 1, 9],
    ]);
    const before = tf.memory().numTensors;
    const result = await predict(model, x, 2);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(Array.from(result.classes), [0, 2, 1, 2]);
    const row = probabilitiesOf(result, 1);
    assert.equal(row.length, 3);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.ok(row[2] > 0.98);
    tf.dispose(x);
    model.dispose();
  });

  it("accuracy counts agreements", () => {
    assert.equal(accuracy([0, 1, 2, 3], [0, 1, 0, 3]), 0.75);
  });

  it("mostConfused lists off-diagonal cells, largest first, with the share of the true class", () => {
    const matrix = confusionMatrix(
      [0, 0, 0, 0, 1, 1, 2, 2, 2, 2],
      [0, 1, 1, 2, 1, 0, 2, 2, 1, 2],
      3,
    );
    const top = mostConfused(matrix, 3);
    assert.deepEqual(
      top.map((c) => [c.trueClass, c.predictedClass, c.count]),
      [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 1],
      ],
    );
    assert.equal(top[0].rate, 0.5);
    assert.equal(top[2].rate, 0.5);
  });

  it("montageIndices: distinct, in range, and the same for the same seed", () => {
    const a = montageIndices(10_000, 16, 42);
    assert.equal(new Set(a).size, 16);
    assert.ok(a.every((i) => i >= 0 && i < 10_000));
    assert.deepEqual(a, montageIndices(10_000, 16, 42));
    assert.notDeepEqual(a, montageIndices(10_000, 16, 43));
  });
});
