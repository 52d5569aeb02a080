/**
 * Learning-rate schedules a variant can train with: the article's time-based decay (recipe.ts), or one
 * cycle — a short warm-up, then a cosine down to zero — for the long augmented runs of notebook 6.
 */
import type { Profile } from "../session";
import { articleSchedule } from "./recipe";

export interface LearningRateSchedule {
  /** How the comparison table names it, with its rate in `profile`. */
  describe(profile: Profile): string;
  /** The learning rate before batch `iteration` (counting from 0) of a run of `profile`. */
  at(profile: Profile, batchesPerEpoch: number): (iteration: number) => number;
}

export const ARTICLE_SCHEDULE: LearningRateSchedule = {
  describe: (profile) => `time-based decay from ${profile.initialLearningRate}`,
  at: (profile) => articleSchedule(profile.initialLearningRate, profile.epochs),
};

/**
 * One cycle: the rate climbs linearly from a tenth of `peak` to `peak` over `warmupIterations`, then
 * follows half a cosine down to zero at `totalIterations`. The warm-up lets batch normalisation's
 * statistics settle before the large steps; the long high plateau keeps the network learning from ever
 * new augmented images, and the slow end lets it settle into a minimum instead of bouncing around it.
 */
export function oneCycle(
  peak: number,
  totalIterations: number,
  warmupIterations: number,
): (iteration: number) => number {
  return (iteration) => {
    if (iteration < warmupIterations) return peak * (0.1 + (0.9 * iteration) / warmupIterations);
    const annealed = (iteration - warmupIterations) / (totalIterations - warmupIterations);
    return (peak / 2) * (1 + Math.cos(Math.PI * Math.min(1, annealed)));
  };
}

/** One cycle over a whole run: `profile.initialLearningRate` is the peak, a 20th of the epochs warms up. */
export function oneCycleOver(
  profile: Profile,
  batchesPerEpoch: number,
): (iteration: number) => number {
  const warmupEpochs = Math.max(1, Math.round(profile.epochs / 20));
  return oneCycle(
    profile.initialLearningRate,
    profile.epochs * batchesPerEpoch,
    warmupEpochs * batchesPerEpoch,
  );
}

export const ONE_CYCLE_SCHEDULE: LearningRateSchedule = {
  describe: (profile) => `one cycle, peak ${profile.initialLearningRate}`,
  at: oneCycleOver,
};
