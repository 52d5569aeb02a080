/**
 * Learning-rate schedules a variant can train with: the article's time-based decay (notebook 3's,
 * time-based-decay.ts), or one cycle — a short warm-up, then a cosine down to zero — for the long augmented
 * runs of notebook 6 (one-cycle.ts).
 */
import type { Profile } from "../session";
import { oneCycleOver } from "./one-cycle";
import { articleSchedule } from "./time-based-decay";

export interface LearningRateSchedule {
  /** What a run's identity records of it. */
  name: string;
  /** How the comparison table names it, with its rate in `profile`. */
  describe(profile: Profile): string;
  /** The learning rate before batch `iteration` (counting from 0) of a run of `profile`. */
  at(profile: Profile, batchesPerEpoch: number): (iteration: number) => number;
}

export const ARTICLE_SCHEDULE: LearningRateSchedule = {
  name: "time-based decay",
  describe: (profile) => `time-based decay from ${profile.initialLearningRate}`,
  at: (profile) => articleSchedule(profile.initialLearningRate, profile.epochs),
};

export const ONE_CYCLE_SCHEDULE: LearningRateSchedule = {
  name: "one cycle",
  describe: (profile) => `one cycle, peak ${profile.initialLearningRate}`,
  at: oneCycleOver,
};
