/**
 * Combining answers at test time: mirrored images and several models, averaged. The models here read a
 * 1×2 image through one dense layer, so each answer is known: weights [[a, 0], [0, b]] make the left pixel
 * vote for class 0 with strength a and the right pixel for class 1 with strength b.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { LayersModel, Tensor4D } from "@tensorflow/tfjs";
import { initBackend, tf } from "../../lib/backend";
import { accuracy, evaluateCombinations, predict } from "../../lib/evaluation";
import { predictCombined } from "../../lib/evaluation/ensemble";

function pixelVoter(left: number, right: number): LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [1, 2, 1] }),
      tf.layers.dense({ units: 2, activation: "softmax", useBias: false }),
    ],
  });
  model.setWeights([
    tf.tensor2d([
      [left, 0],
      [0, right],
    ]),
  ]);
  return model;
}

/** The two class probabilities of logits a and b. */
const softmax = (a: number, b: number) =>
  [Math.exp(a), Math.exp(b)].map((e) => e / (Math.exp(a) + Math.exp(b)));

describe("predictCombined", () => {
  let image: Tensor4D; // the left pixel lit

  before(async () => {
    await initBackend();
    image = tf.tensor4d([1, 0], [1, 1, 2, 1]);
  });

  it("one model, no mirror: the model's own answer", async () => {
    const model = pixelVoter(2, 3);
    const alone = await predict(model, image);
    const combined = await predictCombined([{ model, mirror: false }], image);
    assert.deepEqual(Array.from(combined.classes), Array.from(alone.classes));
    assert.deepEqual(Array.from(combined.probabilities), Array.from(alone.probabilities));
  });

  it("mirror: averages the answers on the image and on its mirror image", async () => {
    // the image says class 0 with strength 2; its mirror lights the right pixel: class 1 with strength 3
    const combined = await predictCombined([{ model: pixelVoter(2, 3), mirror: true }], image);
    const expected = softmax(2, 0).map((p, i) => (p + softmax(0, 3)[i]) / 2);
    assert.deepEqual(Array.from(combined.classes), [1]);
    Array.from(combined.probabilities).forEach((p, i) =>
      assert.ok(Math.abs(p - expected[i]) < 1e-6),
    );
  });

  it("several models: the more confident one carries the average, and no tensor is left", async () => {
    const unsure = pixelVoter(-0.5, 0); // leans to class 1, barely
    const sure = pixelVoter(4, 0); // class 0, firmly
    const before = tf.memory().numTensors;
    const combined = await predictCombined(
      [unsure, sure].map((model) => ({ model, mirror: false })),
      image,
    );
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(Array.from(combined.classes), [0]);
    assert.equal((await predict(unsure, image)).classes[0], 1);
  });

  it("mirrors only the members that ask for it", async () => {
    // mirrored, voter(0, 3) says class 1 firmly; unmirrored, voter(1, 0) says class 0 mildly
    const combined = await predictCombined(
      [
        { model: pixelVoter(0, 3), mirror: true },
        { model: pixelVoter(1, 0), mirror: false },
      ],
      image,
    );
    const answers = [softmax(0, 0), softmax(0, 3), softmax(1, 0)];
    Array.from(combined.probabilities).forEach((p, i) =>
      assert.ok(Math.abs(p - (answers[0][i] + answers[1][i] + answers[2][i]) / 3) < 1e-6),
    );
  });

  it("evaluateCombinations scores each combination on the labels", async () => {
    const images = tf.tensor4d([1, 0, 0, 1], [2, 1, 2, 1]); // left lit, right lit
    const results = await evaluateCombinations(
      [
        { name: "plain", members: [{ model: pixelVoter(2, 3), mirror: false }] },
        { name: "mirrored", members: [{ model: pixelVoter(2, 3), mirror: true }] },
      ],
      images,
      [0, 1],
    );
    // plain: both right. Mirrored, the left-lit image's mirror votes class 1 with 3 against its own 2
    // for class 0, and wins: one of two right.
    assert.deepEqual(results, [
      { name: "plain", accuracy: 1 },
      { name: "mirrored", accuracy: 0.5 },
    ]);
    images.dispose();
  });

  it("predicts each model on each view once, however many combinations count it", async () => {
    const images = tf.tensor4d([1, 0, 0, 1], [2, 1, 2, 1]);
    const [a, b] = [pixelVoter(2, 3), pixelVoter(1, 0)];
    const predicted: string[] = [];
    for (const [name, model] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const predict = model.predict.bind(model);
      model.predict = (x, config) => (predicted.push(name), predict(x, config));
    }
    const before = tf.memory().numTensors;
    const results = await evaluateCombinations(
      [
        { name: "a", members: [{ model: a, mirror: false }] },
        { name: "a mirrored", members: [{ model: a, mirror: true }] },
        { name: "both mirrored", members: [a, b].map((model) => ({ model, mirror: true })) },
      ],
      images,
      [0, 1],
    );
    assert.equal(tf.memory().numTensors, before);
    // a: as it is, then mirrored; b: as it is, then mirrored. Nothing twice.
    assert.deepEqual(predicted, ["a", "a", "b", "b"]);
    const alone = await predictCombined(
      [a, b].map((model) => ({ model, mirror: true })),
      images,
    );
    assert.equal(results[2].accuracy, accuracy([0, 1], alone.classes), "the same answers as alone");
    images.dispose();
  });

  it("no models: a clear error", async () => {
    await assert.rejects(predictCombined([], image), /at least one model/);
  });
});
