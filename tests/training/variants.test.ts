/** The variants: their names on the command line, and what each trains. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROFILES } from "../../lib/session";
import {
  ARTICLE_VARIANT,
  IMPROVED_VARIANT,
  variantNamed,
  variantProfile,
} from "../../lib/training";
import { ONE_CYCLE_SCHEDULE } from "../../lib/training/schedules";
import { variantSchedule } from "../../lib/training/variants";
import type { TrainingVariant } from "../../lib/training";

describe("training variants", () => {
  it("are found by name, and an unknown or missing name is an error listing the names", () => {
    assert.equal(variantNamed("article"), ARTICLE_VARIANT);
    assert.equal(variantNamed("improved"), IMPROVED_VARIANT);
    for (const bad of ["deeper", "toString", undefined]) {
      assert.throws(() => variantNamed(bad), /choose one of article, improved$/);
    }
  });

  it("the improved one trains 1.2× the profile's epochs in batches of 128 with one cycle peaking at 0.05", () => {
    const full = variantProfile(PROFILES.full, IMPROVED_VARIANT);
    assert.deepEqual(
      [full.epochs, full.batchSize, full.initialLearningRate, full.trainExamples, full.seed],
      [30, 128, 0.05, 60_000, PROFILES.full.seed],
    );
    assert.equal(variantProfile(PROFILES.quick, IMPROVED_VARIANT).epochs, 10);
    assert.equal(variantSchedule(IMPROVED_VARIANT), ONE_CYCLE_SCHEDULE);
    assert.equal(IMPROVED_VARIANT.augment, true);
    assert.equal(variantProfile(PROFILES.full, ARTICLE_VARIANT), PROFILES.full);
  });

  it("the improved network's blocks drop a tenth of their activations, the article's a quarter", () => {
    const dropoutRates = (variant: TrainingVariant) => {
      const model = variant.build(1);
      const rates = model.layers
        .filter((layer) => layer.getClassName() === "Dropout")
        .map((layer) => (layer.getConfig() as { rate: number }).rate);
      model.dispose();
      return rates;
    };
    assert.deepEqual(dropoutRates(IMPROVED_VARIANT), [0.1, 0.1, 0.1, 0.5]);
    assert.deepEqual(dropoutRates(ARTICLE_VARIANT), [0.25, 0.25, 0.5]);
  });
});
