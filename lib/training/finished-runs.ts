/**
 * Finished runs: the one a training cell may reuse instead of training again, and the ones notebooks 4–6
 * load to evaluate (with a clear error when a run is not there yet, or is being trained).
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { FileProblemError } from "../errors";
import { projectRelative, runDirFor, runPaths } from "../paths";
import type { RunPaths } from "../paths";
import type { Profile } from "../session";
import type { History } from "./history";
import { loadModel } from "./model-store";
import { liveLockHolder } from "./run-lock";
import { finishedRunHistory } from "./train";
import { ARTICLE_VARIANT, variantProfile } from "./variants";
import type { TrainingVariant } from "./variants";

/** A run that notebook 3 (or 6, or `npm run train`) finished: its model, its history and where it lives. */
export interface FinishedRun {
  profile: Profile;
  variant: TrainingVariant;
  paths: RunPaths;
  model: LayersModel;
  history: History;
}

/**
 * The history of the profile's finished run, its files checked to be this run's; or a clear error saying
 * that the run is being trained (and by whom), or how to produce it.
 */
export async function loadRunHistory(
  sessionProfile: Profile,
  variant: TrainingVariant = ARTICLE_VARIANT,
): Promise<History> {
  const profile = variantProfile(sessionProfile, variant);
  const runDir = runDirFor(profile.name, variant);
  const history = await finishedRunHistory({
    profile,
    variant,
    runDir,
    train: { count: profile.trainExamples },
    test: { count: profile.testExamples },
  });
  if (history) return history;
  const file = projectRelative(runPaths(runDir).history);
  const trainer = liveLockHolder(runDir);
  if (trainer) {
    throw new FileProblemError(
      file,
      `not written yet: the ${profile.name} run of ${variant.name} is being trained now, by process ` +
        `${trainer.pid} ("${trainer.command}", since ${trainer.started})`,
      "wait for that training to finish (its notebook or terminal shows each epoch), then run this cell again",
    );
  }
  throw new FileProblemError(
    file,
    `not found: the ${profile.name} run of ${variant.name} has not finished yet`,
    variant === ARTICLE_VARIANT
      ? `run notebooks/03-training.ipynb first, with the same profile (FMNIST_PROFILE=${profile.name})`
      : `run notebooks/06-beyond.ipynb's training cells first, with FMNIST_PROFILE=${profile.name}`,
  );
}

/** Load the finished run of a profile (default: the article's model), as notebooks 4–6 start. */
export async function loadFinishedRun(
  profile: Profile,
  variant: TrainingVariant = ARTICLE_VARIANT,
): Promise<FinishedRun> {
  const paths = runPaths(runDirFor(profile.name, variant));
  const history = await loadRunHistory(profile, variant);
  return {
    profile: variantProfile(profile, variant),
    variant,
    paths,
    model: await loadModel(paths.model),
    history,
  };
}
