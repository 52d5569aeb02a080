// Slow tier: times training steps.
/** Run-time estimates: a variant is timed with its own model and batch size, and projected over its epochs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { initBackend, tf } from "../../lib/backend";
import { PROFILES } from "../../lib/session";
import {
  estimateRunSeconds,
  estimateRunTimes,
  estimateSideBySide,
  IMPROVED_VARIANT,
  ONE_CYCLE_VARIANT,
  variantProfile,
} from "../../lib/training";
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
      ...ONE_CYCLE_VARIANT,
      build: () => recordingModel(batchSizes),
    };
    const baseline = tf.memory().numTensors;
    const estimate = await estimateRunTimes(session, variant);
    assert.equal(tf.memory().numTensors, baseline);
    assert.ok(batchSizes.length >= 8 && batchSizes.every((size) => size === 128), `${batchSizes}`);
    const { trainImagesPerSecond: train, inferImagesPerSecond: infer } = estimate;
    assert.ok(train > 0 && infer > 0);
    const full = variantProfile(PROFILES.full, variant);
    assert.equal(full.epochs, 40);
    assert.equal(estimate.fullRunSeconds, estimateRunSeconds(full, train, infer));
    const own = variantProfile(profile, variant);
    assert.equal(estimate.profileSeconds, estimateRunSeconds(own, train, infer));
  });

  it("time several variants in interleaved rounds, one estimate each, in their order", async () => {
    const backend = await initBackend();
    const session = { backend, profile: PROFILES.smoke, reason: "test", runDir: "unused" };
    const built: string[] = [];
    const recording = (variant: TrainingVariant): TrainingVariant => ({
      ...variant,
      build: () => (built.push(variant.name), recordingModel([])),
    });
    const variants = [recording(IMPROVED_VARIANT), recording(ONE_CYCLE_VARIANT)];
    const baseline = tf.memory().numTensors;
    const estimates = await estimateSideBySide(session, variants, { rounds: 2, trainImages: 256 });
    assert.equal(tf.memory().numTensors, baseline);
    const [improved, oneCycle] = variants.map((v) => v.name);
    assert.deepEqual(built, [improved, oneCycle, improved, oneCycle]);
    assert.equal(estimates.length, 2);
    estimates.forEach((estimate, i) => {
      const full = variantProfile(PROFILES.full, variants[i]);
      const { trainImagesPerSecond: train, inferImagesPerSecond: infer } = estimate;
      assert.equal(
        estimate.fullRunSeconds,
        estimateRunSeconds(full, train, infer),
        variants[i].name,
      );
      assert.ok(estimate.roundSpread >= 1 && Number.isFinite(estimate.roundSpread));
    });
  });
});
