/**
 * The validation split: training images held out from training so that choices (a recipe, its epochs, its
 * dropout, test-time views) are made on images the network never trained on, and the test set is used once,
 * for the choice made.
 */
import { NUM_CLASSES } from "../shape";
import { shuffledIndices } from "../random";
import { classCounts, pickExamples } from "./fashion-mnist";
import type { Split } from "./fashion-mnist";

/** The share held out: 5,000 of the 60,000 training images, as many as the 10,000 test images' half. */
const VALIDATION_SHARE = 1 / 12;

/** How many of `trainCount` training images are held out for validation. */
export function validationCount(trainCount: number): number {
  return Math.round(trainCount * VALIDATION_SHARE);
}

/**
 * Split the training images into the images trained on and `validationCount` held out, stratified: each
 * class gives its share of the held-out images (largest remainders settle the rounding), chosen with the
 * seed. Both keep the images' order.
 */
export function holdOutValidation(train: Split, seed: number): { train: Split; validation: Split } {
  const total = validationCount(train.count);
  const counts = classCounts(train);
  const exact = counts.map((count) => (count * total) / train.count);
  const quota = exact.map(Math.floor);
  const byRemainder = exact
    .map((value, label) => ({ label, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.label - b.label);
  for (let i = 0; quota.reduce((a, b) => a + b, 0) < total; i++) quota[byRemainder[i].label]++;

  const held = new Uint8Array(train.count);
  for (let label = 0; label < NUM_CLASSES; label++) {
    const members: number[] = [];
    train.labels.forEach((l, index) => l === label && members.push(index));
    // Each class its own stream: the held-out images of one class do not depend on another's count.
    for (const pick of shuffledIndices(members.length, seed * NUM_CLASSES + label, quota[label]))
      held[members[pick]] = 1;
  }
  const indices = (keep: number) =>
    Int32Array.from({ length: train.count }, (_, i) => i).filter((i) => held[i] === keep);
  return { train: pickExamples(train, indices(0)), validation: pickExamples(train, indices(1)) };
}
