/** The validation split notebook 6's recipe is chosen on: held out from training, stratified, seeded. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holdOutValidation, IMAGE_PIXELS, validationCount } from "../../lib/data";
import { classCounts } from "../../lib/data/fashion-mnist";
import type { Split } from "../../lib/data";
import { PROFILES } from "../../lib/session";
import { onValidationSplit, variantProfile, IMPROVED_VARIANT } from "../../lib/training";

/** `count` images whose first pixel is their index (mod 256) and second its index / 256, labels given. */
function splitWith(labels: number[]): Split {
  const images = new Uint8Array(labels.length * IMAGE_PIXELS);
  labels.forEach((_, i) => images.set([i % 256, Math.floor(i / 256)], i * IMAGE_PIXELS));
  return { images, labels: Uint8Array.from(labels), count: labels.length };
}

const idOf = (split: Split, i: number) =>
  split.images[i * IMAGE_PIXELS] + 256 * split.images[i * IMAGE_PIXELS + 1];
const ids = (split: Split) => Array.from({ length: split.count }, (_, i) => idOf(split, i));

describe("the validation split", () => {
  it("holds out 5,000 of the full profile's 60,000 training images", () => {
    assert.equal(validationCount(60_000), 5_000);
    const profile = variantProfile(PROFILES.full, onValidationSplit(IMPROVED_VARIANT));
    assert.deepEqual([profile.trainExamples, profile.testExamples], [55_000, 5_000]);
  });

  it("takes each class's share, leaves the rest to train on, keeps the order, and repeats with its seed", () => {
    // 1,200 images, 120 per class except class 0 (180) and class 9 (60): shares 15 and 5 of 100.
    const labels = Array.from({ length: 1_200 }, (_, i) =>
      i < 180 ? 0 : i >= 1_140 ? 9 : 1 + ((i - 180) % 8),
    );
    const split = splitWith(labels);
    const { train, validation } = holdOutValidation(split, 42);
    assert.equal(validation.count, 100);
    assert.equal(train.count, 1_100);
    assert.deepEqual(classCounts(validation), [15, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    const held = ids(validation);
    const kept = ids(train);
    assert.deepEqual(
      [...held, ...kept].sort((a, b) => a - b),
      Array.from({ length: 1_200 }, (_, i) => i),
    );
    assert.deepEqual(
      held,
      [...held].sort((a, b) => a - b),
      "in the images' order",
    );
    for (const [i, id] of held.entries()) assert.equal(validation.labels[i], labels[id]);

    assert.deepEqual(ids(holdOutValidation(split, 42).validation), held);
    assert.notDeepEqual(ids(holdOutValidation(split, 7).validation), held);
  });
});
