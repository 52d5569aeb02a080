// Slow tier: times training steps.
/** Run-time estimates: a variant is timed with its own model and batch size, and projected over its epochs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { initBackend, tf } from "../../lib/backend";
import { PROFILES } from "../../lib/session";
import { estimateRunTimes, IMPROVED_VARIANT, variantProfile } from "../../lib/training";
import { estimateRunSeconds } from "../../lib/training/estimate";
import type { TrainingVariant } from "../../lib/training";

/** A model small enough to time on any backend, recording the batch sizes it trains on. */
function recordingModel(batchSizes: number[]): LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  const trainOnBatch = model.trainOnBatch.bind(model);
  model.trainOnBatch = (x, y) => {
    batchSizes.push((x as Tensor).shape[0]);
    return trainOnBatch(x, y);
  };
  return model;
}

describe("run-time estimates", () => {
  it("time a variant's own model at its batch size and project its own epochs", async () => {
    const backend = await initBackend();
    const profile = PROFILES.smoke;
    const session = { backend, profile, reason: "test", runDir: "unused" };
    const batchSizes: number[] = [];
    const variant: TrainingVariant = {
      ...IMPROVED_VARIANT,
      build: () => recordingModel(batchSizes),
    };
    const baseline = tf.memory().numTensors;
    const estimate = await estimateRunTimes(session, variant);
    assert.equal(tf.memory().numTensors, baseline);
    assert.ok(batchSizes.length >= 8 && batchSizes.every((size) => size === 128), `${batchSizes}`);
    const { trainImagesPerSecond: train, inferImagesPerSecond: infer } = estimate;
    assert.ok(train > 0 && infer > 0);
    const full = variantProfile(PROFILES.full, variant);
    assert.equal(full.epochs, 30);
    assert.equal(estimate.fullRunSeconds, estimateRunSeconds(full, train, infer));
    const own = variantProfile(profile, variant);
    assert.equal(estimate.profileSeconds, estimateRunSeconds(own, train, infer));
  });
});
