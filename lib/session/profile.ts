/**
 * Run profiles: how much of the article's experiment a run does. `full` is the article's run; `quick` fits a
 * slow machine; `smoke` is for CI. FMNIST_PROFILE chooses; otherwise `full` with native TensorFlow, `quick`
 * on a fallback backend (where the full run takes hours).
 */
import type { BackendInfo } from "../backend";
import { profileSetting } from "../settings";
import type { ProfileName } from "../settings";

export type { ProfileName } from "../settings";

export interface Profile {
  name: ProfileName;
  /** Training and test examples; fewer than the dataset's means a seeded random subset. */
  trainExamples: number;
  testExamples: number;
  epochs: number;
  batchSize: number;
  initialLearningRate: number;
  momentum: number;
  /** Seeds the data subset, initial weights, shuffling and montage sampling. */
  seed: number;
}

const ARTICLE = { batchSize: 32, initialLearningRate: 0.01, momentum: 0.9, seed: 42 };

export const PROFILES: Record<ProfileName, Profile> = {
  full: { name: "full", trainExamples: 60_000, testExamples: 10_000, epochs: 25, ...ARTICLE },
  // Sized to take about a quarter of an hour on the wasm fallback of a 2-core machine (README: measured).
  quick: { name: "quick", trainExamples: 18_000, testExamples: 5_000, epochs: 8, ...ARTICLE },
  smoke: { name: "smoke", trainExamples: 2_000, testExamples: 500, epochs: 2, ...ARTICLE },
};

export interface ProfileChoice {
  profile: Profile;
  /** One sentence on why this profile runs, for the top of each notebook. */
  reason: string;
}

export function chooseProfile(
  backend: BackendInfo,
  env: NodeJS.ProcessEnv = process.env,
): ProfileChoice {
  const requested = profileSetting(env);
  if (requested)
    return { profile: PROFILES[requested], reason: `chosen by FMNIST_PROFILE=${requested}` };
  if (backend.native)
    return { profile: PROFILES.full, reason: "the default with native TensorFlow" };
  return {
    profile: PROFILES.quick,
    reason:
      `the default on the '${backend.name}' backend, where the article's full run takes hours; ` +
      "FMNIST_PROFILE=full runs it anyway",
  };
}

/** The training steps (batches) of one epoch, for the learning-rate schedule and ETAs. */
export function stepsPerEpoch(profile: Profile): number {
  return Math.ceil(profile.trainExamples / profile.batchSize);
}

export function describeProfile(profile: Profile): string {
  return (
    `${profile.name}: ${profile.trainExamples.toLocaleString("en-US")} training / ` +
    `${profile.testExamples.toLocaleString("en-US")} test images, ` +
    `${profile.epochs} epoch${profile.epochs === 1 ? "" : "s"}, batch ${profile.batchSize}, seed ${profile.seed}`
  );
}
