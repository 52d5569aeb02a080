/** Notebook 6's variants: their names on the command line, and how many epochs each trains. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROFILES } from "../../lib/session";
import {
  ARTICLE_VARIANT,
  AUGMENTED_ARTICLE_VARIANT,
  IMPROVED_VARIANT,
  variantNamed,
  variantProfile,
} from "../../lib/training";

describe("training variants", () => {
  it("are found by name, and an unknown or missing name is an error listing the names", () => {
    assert.equal(variantNamed("article"), ARTICLE_VARIANT);
    assert.equal(variantNamed("augmented"), AUGMENTED_ARTICLE_VARIANT);
    assert.equal(variantNamed("improved"), IMPROVED_VARIANT);
    for (const bad of ["deeper", "toString", undefined]) {
      assert.throws(
        () => variantNamed(bad),
        /choose one of article, augmented, improved, one-cycle/,
      );
    }
  });

  it("the improved one trains 1.6× the profile's epochs; the others the profile's own", () => {
    assert.equal(variantProfile(PROFILES.full, IMPROVED_VARIANT).epochs, 40);
    assert.equal(variantProfile(PROFILES.quick, IMPROVED_VARIANT).epochs, 13);
    assert.equal(variantProfile(PROFILES.full, AUGMENTED_ARTICLE_VARIANT), PROFILES.full);
    assert.equal(variantProfile(PROFILES.full, ARTICLE_VARIANT).epochs, 25);
  });
});
