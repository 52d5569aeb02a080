/** The learning-rate schedules a variant can choose, and that training follows the variant's. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { PROFILES } from "../../lib/session";
import {
  ARTICLE_VARIANT,
  disposeModel,
  IMPROVED_VARIANT,
  trainModel,
  variantProfile,
} from "../../lib/training";
import { ARTICLE_SCHEDULE, ONE_CYCLE_SCHEDULE } from "../../lib/training/schedules";
import { articleSchedule } from "../../lib/training/time-based-decay";
import { oneCycle, oneCycleOver } from "../../lib/training/one-cycle";
import { variantSchedule } from "../../lib/training/variants";
import type { TrainingVariant } from "../../lib/training";
import { temporaryDirs } from "../helpers/temp-dirs";
import {
  TINY_DROPOUT_VARIANT,
  TINY_PROFILE,
  TINY_VARIANT,
  tinySplits,
  tinyTrainOptions,
} from "../helpers/tiny-training";
import { slowTier } from "../helpers/test-tier";

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

describe("one cycle", () => {
  const lr = oneCycle(0.05, 1000, 100);

  it("warms up linearly from a tenth of the peak to the peak", () => {
    assert.ok(close(lr(0), 0.005));
    assert.ok(close(lr(50), 0.0275));
    assert.ok(close(lr(100), 0.05));
  });

  it("then follows half a cosine down to zero, never rising again", () => {
    assert.ok(close(lr(550), 0.025), "half the peak halfway through the annealing");
    assert.ok(close(lr(1000), 0));
    assert.ok(close(lr(1200), 0), "past the end it stays at zero");
    for (let i = 101; i <= 1000; i++) assert.ok(lr(i) <= lr(i - 1), `rises at ${i}`);
  });

  it("over a whole run warms up for a 20th of the epochs (at least one), peaking at the profile's rate", () => {
    const full = { ...variantProfile(PROFILES.full, IMPROVED_VARIANT), epochs: 40 };
    const batches = 469; // 60,000 images in batches of 128
    const at = oneCycleOver(full, batches);
    assert.ok(close(at(2 * batches), 0.05), "peaks after 2 of 40 epochs");
    assert.ok(at(2 * batches - 1) < 0.05);
    assert.ok(close(oneCycleOver({ ...full, epochs: 3 }, 10)(10), 0.05), "1 epoch of warm-up");
  });
});

describe("the variants' schedules", () => {
  it("are the article's decay unless a variant names another", () => {
    assert.equal(variantSchedule(ARTICLE_VARIANT), ARTICLE_SCHEDULE);
    assert.equal(variantSchedule(IMPROVED_VARIANT), ONE_CYCLE_SCHEDULE);
    const article = ARTICLE_SCHEDULE.at(PROFILES.full, 1875);
    const expected = articleSchedule(0.01, 25);
    for (const i of [0, 1, 1875, 46_875]) assert.equal(article(i), expected(i));
  });
});

const tempDir = temporaryDirs("fmnist-schedules-");

describe(
  "training with a variant's own batch size, schedule and seed",
  slowTier("trains the tiny model"),
  () => {
    before(async () => {
      await initBackend();
      tinySplits();
    });

    it("sets the schedule's rate before every batch and records it after each epoch", async () => {
      const variant: TrainingVariant = {
        ...TINY_VARIANT,
        batchSize: 16,
        learningRate: 0.2,
        schedule: ONE_CYCLE_SCHEDULE,
      };
      const profile = variantProfile(TINY_PROFILE, variant);
      const batches = 48 / 16;
      const expected = oneCycleOver(profile, batches);
      const baseline = tf.memory().numTensors;
      let steps = 0;
      const result = await trainModel(
        tinyTrainOptions(tempDir(), { profile, variant, onBatchEnd: () => void steps++ }),
      );
      assert.equal(
        steps,
        profile.epochs * batches,
        "batches of the variant's size, not the profile's 8",
      );
      assert.deepEqual(
        result.history.learningRate,
        [1, 2, 3].map((epoch) => expected(epoch * batches - 1)),
      );
      assert.ok(result.history.learningRate[2] < 0.02, "annealed by the end");
      disposeModel(result.model);
      assert.equal(tf.memory().numTensors, baseline);
    });

    it("starts from the variant's seed: other weights, another run", async () => {
      const seeds: number[] = [];
      const recording = (variant: TrainingVariant): TrainingVariant => ({
        ...variant,
        build: (seed) => (seeds.push(seed), TINY_DROPOUT_VARIANT.build(seed)),
      });
      const train = async (variant: TrainingVariant) => {
        const profile = variantProfile(TINY_PROFILE, variant);
        const result = await trainModel(tinyTrainOptions(tempDir(), { profile, variant }));
        disposeModel(result.model);
        return result.history.loss;
      };
      const baseline = tf.memory().numTensors;
      const profileSeeded = await train(recording(TINY_DROPOUT_VARIANT));
      const reseeded = await train(recording({ ...TINY_DROPOUT_VARIANT, seed: 7 }));
      assert.deepEqual(seeds, [TINY_PROFILE.seed, 7]);
      assert.notDeepEqual(reseeded, profileSeeded);
      assert.equal(tf.memory().numTensors, baseline);
    });
  },
);
