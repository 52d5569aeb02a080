/**
 * Training as the notebooks run it: reuse a finished run of this profile unless asked to retrain, show
 * progress while training (a line per epoch, a chart redrawn in place, a progress bar in a terminal), and
 * load a finished run for the notebooks that evaluate it.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import type { PreparedSplit } from "../data";
import { FileProblemError } from "../files";
import { inTslab, liveDisplay } from "../notebook/display";
import { kernelTerminal, trainingProgressBar } from "../notebook/progress";
import { projectRelative, runDirFor, runPaths } from "../paths";
import type { RunPaths } from "../paths";
import { trainingChartBundle } from "../plots/training-chart";
import { stepsPerEpoch } from "../session";
import type { Profile, Session } from "../session";
import { retrainSetting } from "../settings";
import { epochLine, epochLines } from "./history";
import type { History } from "./history";
import { loadModel } from "./model-store";
import { liveLockHolder } from "./run-lock";
import { finishedRunHistory, trainModel } from "./train";
import type { TrainResult } from "./train";
import { ARTICLE_VARIANT, variantProfile } from "./variants";
import type { TrainingVariant } from "./variants";

export interface SessionTrainResult extends TrainResult {
  /** True when a finished run was loaded instead of trained. */
  reused: boolean;
}

export interface TrainOrReuseOptions {
  /** Default: the article's MiniVGGNet. */
  variant?: TrainingVariant;
  log?: (line: string) => void;
  /** Once the run folder is locked and checked, before training starts (npm run train's estimate). */
  onStart?: () => void | Promise<void>;
}

/** Train this session's profile, or load its finished run (FMNIST_RETRAIN=1 trains again). */
export async function trainOrReuse(
  session: Session,
  train: PreparedSplit,
  test: PreparedSplit,
  { variant = ARTICLE_VARIANT, log = console.log, onStart }: TrainOrReuseOptions = {},
): Promise<SessionTrainResult> {
  const profile = variantProfile(session.profile, variant);
  const runDir = runDirFor(profile.name, variant);
  const chartTitle = `${variant.name}, ${profile.name} profile`;
  const retrain = retrainSetting();
  const finished = retrain
    ? undefined
    : await finishedRunHistory({ profile, train, test, runDir, variant });
  if (finished) {
    log(
      `Reusing the finished ${profile.name} run in ${projectRelative(runDir)} ` +
        `(FMNIST_RETRAIN=1 trains again); its epochs, as they were trained:`,
    );
    for (const line of epochLines(finished)) log(line);
    if (inTslab()) liveDisplay().show(trainingChartBundle(finished, chartTitle));
    const model = await loadModel(runPaths(runDir).model);
    return { model, history: finished, resumedFromEpoch: profile.epochs, reused: true };
  }
  const batches = stepsPerEpoch({ ...profile, trainExamples: train.count });
  const chart = inTslab() ? liveDisplay() : undefined;
  const bar = !inTslab() && process.stderr.isTTY ? trainingProgressBar() : undefined;
  const terminal = kernelTerminal();
  const result = await trainModel({
    profile,
    train,
    test,
    runDir,
    variant,
    restart: retrain,
    log,
    onStart: async () => {
      log(
        `Training ${profile.epochs} epoch(s) of ${batches} batches of ${profile.batchSize}; ` +
          `checkpoints in ${projectRelative(runDir)}`,
      );
      await onStart?.();
    },
    onBatchEnd: bar,
    onEpochEnd: (history) => {
      bar?.(0, 0, 0);
      log(epochLine(history, profile.epochs));
      terminal?.(`[${projectRelative(runDir)}] ${epochLine(history, profile.epochs)}`);
      chart?.show(trainingChartBundle(history, chartTitle));
    },
  });
  if (result.resumedFromEpoch === profile.epochs)
    log(
      `(all ${profile.epochs} epochs were in the checkpoint: saved the model and history from it)`,
    );
  else if (result.resumedFromEpoch > 0)
    log(`(resumed after epoch ${result.resumedFromEpoch} from the checkpoint)`);
  return { ...result, reused: false };
}

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
