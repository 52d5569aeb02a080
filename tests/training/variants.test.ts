/** Notebook 6's variants: their names on the command line, and how many epochs each trains. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROFILES } from "../../lib/session";
import {
  ARTICLE_VARIANT,
  AUGMENTED_ARTICLE_VARIANT,
  IMPROVED_VARIANT,
  ONE_CYCLE_SECOND_SEED_VARIANT,
  ONE_CYCLE_THIRD_SEED_VARIANT,
  ONE_CYCLE_VARIANT,
  variantNamed,
  variantProfile,
} from "../../lib/training";

describe("training variants", () => {
  it("are found by name, and an unknown or missing name is an error listing the names", () => {
    assert.equal(variantNamed("article"), ARTICLE_VARIANT);
    assert.equal(variantNamed("augmented"), AUGMENTED_ARTICLE_VARIANT);
    assert.equal(variantNamed("improved"), IMPROVED_VARIANT);
    assert.equal(variantNamed("one-cycle-seed7"), ONE_CYCLE_SECOND_SEED_VARIANT);
    assert.equal(variantNamed("one-cycle-seed13"), ONE_CYCLE_THIRD_SEED_VARIANT);
    for (const bad of ["deeper", "toString", undefined]) {
      assert.throws(
        () => variantNamed(bad),
        /choose one of article, augmented, improved, one-cycle, one-cycle-seed7, one-cycle-seed13$/,
      );
    }
  });

  it("the improved one trains 1.6× the profile's epochs; the others the profile's own", () => {
    assert.equal(variantProfile(PROFILES.full, IMPROVED_VARIANT).epochs, 40);
    assert.equal(variantProfile(PROFILES.quick, IMPROVED_VARIANT).epochs, 13);
    assert.equal(variantProfile(PROFILES.full, AUGMENTED_ARTICLE_VARIANT), PROFILES.full);
    assert.equal(variantProfile(PROFILES.full, ARTICLE_VARIANT).epochs, 25);
  });

  it("the other one-cycle runs differ from the first in their seeds only, each in its own folder", () => {
    const first = variantProfile(PROFILES.full, ONE_CYCLE_VARIANT);
    const reruns = [ONE_CYCLE_SECOND_SEED_VARIANT, ONE_CYCLE_THIRD_SEED_VARIANT];
    const seeds = new Set([first.seed]);
    const folders = new Set([ONE_CYCLE_VARIANT.runDirSuffix]);
    const recipe = ["build", "augment", "epochs", "batchSize", "learningRate", "schedule"] as const;
    assert.equal(first.seed, PROFILES.full.seed);
    for (const rerun of reruns) {
      const profile = variantProfile(PROFILES.full, rerun);
      assert.deepEqual({ ...profile, seed: first.seed }, first);
      seeds.add(profile.seed);
      folders.add(rerun.runDirSuffix);
      for (const setting of recipe) {
        assert.equal(rerun[setting], ONE_CYCLE_VARIANT[setting], setting);
      }
      assert.equal(rerun.builtOn, ONE_CYCLE_VARIANT);
    }
    assert.equal(seeds.size, 3, "three different seeds");
    assert.equal(folders.size, 3, "three different run folders");
    assert.equal(ONE_CYCLE_SECOND_SEED_VARIANT.runDirSuffix, "-one-cycle-seed7");
    assert.equal(
      ONE_CYCLE_SECOND_SEED_VARIANT.name,
      "DeeperVGG + augmentation + one cycle, seed 7",
    );
  });
});
