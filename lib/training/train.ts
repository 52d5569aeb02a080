/**
 * Training a variant as notebook 3 trains the article's model — build, compile with SGD, one `model.fit`
 * for all epochs with the callbacks below — for notebook 6's recipes, `npm run train` and the tests.
 */
import type { Callback, History as FitHistory, LayersModel, Logs, Tensor } from "@tensorflow/tfjs";
import type { PreparedSplit } from "../data";
import { stepsPerEpoch } from "../session";
import type { Profile } from "../session";
import { AugmentEveryEpoch } from "./callbacks/augment-every-epoch";
import { stepsPerFitEpoch } from "./callbacks/fit-steps";
import { BackupAndRestore } from "./callbacks/backup-and-restore";
import { RunHistory } from "./callbacks/run-history";
import { fitCallbacks } from "./fit-callbacks";
import type { History } from "./history";
import { compileWithSGD } from "./recipe";
import { architectureOf, findCheckpoint, completeRunHistory, runIdentity } from "./run-files";
import { runPaths } from "../paths";
import { ARTICLE_VARIANT, variantSchedule } from "./variants";
import type { TrainingVariant } from "./variants";

export interface TrainOptions {
  /** The profile the variant trains with (variantProfile). */
  profile: Profile;
  train: PreparedSplit;
  test: PreparedSplit;
  /** Where the checkpoint, final model and history go, e.g. data/runs/quick. */
  runDir: string;
  /** What to train (default: the article's MiniVGGNet without augmentation). */
  variant?: TrainingVariant;
  /** Train from scratch even when the folder holds a finished run (default: FMNIST_RETRAIN=1). */
  restart?: boolean;
  /** More callbacks for fit, after the run's own, given the epochs restored from its checkpoint (TrainingProgress). */
  callbacksFor?: (restored: History) => Callback[];
  /** After each step: the step (counting from 1), the steps per epoch, the epoch (counting from 0). */
  onBatchEnd?: (batch: number, batchesPerEpoch: number, epoch: number) => void | Promise<void>;
  /** After each finished epoch's checkpoint, with every epoch of the run so far. */
  onEpochEnd?: (history: History) => void | Promise<void>;
  /** Once the run folder is locked and its checkpoint restored, before fit (npm run train's estimate). */
  onStart?: (initialEpoch: number) => void | Promise<void>;
  /** After the model is saved and before the history is (the tests kill the process here). */
  onModelSaved?: () => void | Promise<void>;
  /** Where notes go (a stale lock taken over, a resumed run, an interrupt); default console.log. */
  log?: (line: string) => void;
}

export interface TrainResult {
  model: LayersModel;
  history: History;
  /** The number of epochs a checkpoint already held when this run started (0 for a fresh run). */
  resumedFromEpoch: number;
}

/**
 * Train, resume or finish the run of `variant` in `runDir`; on a finished run, fit restores its epochs and
 * trains none, as notebook 3's cell does.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { profile, train, test, runDir, log = console.log } = options;
  const variant = options.variant ?? ARTICLE_VARIANT;
  const model = variant.build(profile.seed);
  const augment = variant.augment ? new AugmentEveryEpoch(train.x, profile.seed) : undefined;
  try {
    compileWithSGD(model, profile);
    const { restart, onModelSaved } = options;
    const backup = new BackupAndRestore({
      profile,
      variant,
      train,
      test,
      runDir,
      restart,
      log,
      onModelSaved,
    });
    const initialEpoch = await backup.restore(model);
    await options.onStart?.(initialEpoch);
    const batchesPerEpoch = stepsPerEpoch({ ...profile, trainExamples: train.count });
    const learningRateAt = variantSchedule(variant).at(profile, batchesPerEpoch);
    await model.fit(augment?.images ?? train.x, train.y, {
      batchSize: profile.batchSize,
      epochs: profile.epochs,
      validationData: [test.x, test.y],
      initialEpoch,
      verbose: 0,
      callbacks: fitCallbacks(backup, learningRateAt, profile.seed, [
        ...(augment ? [augment] : []),
        ...(options.callbacksFor?.(backup.history) ?? []),
        hooks(options, backup.history),
      ]),
    });
    return { model, history: backup.history, resumedFromEpoch: initialEpoch };
  } catch (error) {
    // An interrupted or failed run's model is of no use to the caller, who never receives it. Nor are the
    // figures of an epoch broken off by an interrupt: fit's History keeps them as tensors until fit ends,
    // and StopOnInterrupt rejects fit before that.
    await (fittingModel(model).history as FitHistory | undefined)?.syncData();
    disposeModel(model);
    throw error;
  } finally {
    augment?.dispose();
  }
}

/** The options' onBatchEnd and onEpochEnd as a callback, with the run's history as fit's logs give it. */
function hooks(options: TrainOptions, restored: History): RunHistory {
  return new (class extends RunHistory {
    private epoch = 0;
    override async onEpochBegin(epoch: number): Promise<void> {
      await super.onEpochBegin(epoch);
      this.epoch = epoch;
    }
    override async onBatchEnd(batch: number): Promise<void> {
      await options.onBatchEnd?.(batch + 1, stepsPerFitEpoch(this), this.epoch);
    }
    override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
      if (await this.record(logs)) await options.onEpochEnd?.(this.history);
    }
  })(restored);
}

/** The model whose fit runs: Sequential.fit runs its inner LayersModel's. */
function fittingModel(model: LayersModel): LayersModel {
  return (model as { model?: LayersModel }).model ?? model;
}

/**
 * The history of a complete run of exactly this experiment, or undefined. Only the splits' sizes matter
 * here; a model or history of another run in the folder is an error naming it.
 */
export async function finishedRunHistory(
  options: Pick<TrainOptions, "profile" | "runDir" | "variant"> & {
    train: Pick<PreparedSplit, "count">;
    test: Pick<PreparedSplit, "count">;
  },
): Promise<History | undefined> {
  const paths = runPaths(options.runDir);
  const variant = options.variant ?? ARTICLE_VARIANT;
  // The model as its code builds it now: a run of an edited model is not this one's.
  const model = variant.build(options.profile.seed);
  const architecture = architectureOf(model);
  model.dispose();
  const expected = runIdentity(options.profile, variant, options.train, options.test, architecture);
  const found = await findCheckpoint(paths.checkpoint, expected);
  return found && completeRunHistory(paths, found);
}

/**
 * Free a model and the optimizer it was compiled with. TensorFlow.js frees an optimizer with its model
 * only when it created it from a name ("sgd"); ours is built with momentum, so it is freed here.
 */
export function disposeModel(model: LayersModel): void {
  const optimizer = model.optimizer as (LayersModel["optimizer"] & { c?: Tensor }) | undefined;
  optimizer?.dispose();
  // MomentumOptimizer.dispose() (tfjs 4.22) forgets its parent's learning-rate scalar `c`.
  if (optimizer?.c && !optimizer.c.isDisposed) optimizer.c.dispose();
  model.dispose();
}
