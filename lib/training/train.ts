/**
 * Training MiniVGGNet as the article does — SGD with momentum, Keras' per-batch time-based decay,
 * categorical cross-entropy, validation on the test split after every epoch — one epoch at a time, with a
 * checkpoint after each so an interrupted run resumes where it stopped.
 */
import type { LayersModel, MomentumOptimizer, Tensor } from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { tf } from "../backend";
import { augmentImages } from "../data";
import type { PreparedSplit } from "../data";
import { removeStaleTemps, writeDirAtomic, writeFileAtomic, WriteError } from "../files";
import { projectRelative, runPaths } from "../paths";
import type { RunPaths } from "../paths";
import { shuffledIndices } from "../random";
import { stepsPerEpoch } from "../session";
import type { Profile } from "../session";
import { emptyHistory, epochsIn, History } from "./history";
import { nextTurn, TrainingInterrupted, watchInterrupts } from "./interrupt";
import type { InterruptWatch } from "./interrupt";
import { loadModel, modelFiles, optimizerFiles, restoreOptimizer, saveModel } from "./model-store";
import { acquireRunLock } from "./run-lock";
import type { RunLock } from "./run-lock";
import { compileWithSGD, fitEpoch } from "./recipe";
import {
  completeRunHistory,
  findCheckpoint,
  historyFileText,
  runIdentity,
  runResultsWritten,
} from "./run-files";
import type { CheckpointState } from "./run-files";
import { ARTICLE_VARIANT, variantSchedule } from "./variants";
import type { TrainingVariant } from "./variants";

export interface TrainOptions {
  profile: Profile;
  train: PreparedSplit;
  test: PreparedSplit;
  /** Where the checkpoint, final model and history go, e.g. data/runs/quick. */
  runDir: string;
  /** What to train (default: the article's MiniVGGNet without augmentation). */
  variant?: TrainingVariant;
  /**
   * Train from scratch even when the run folder holds a complete run of this experiment
   * (FMNIST_RETRAIN=1). An unfinished run is resumed either way.
   */
  restart?: boolean;
  onBatchEnd?: (batch: number, batchesPerEpoch: number, epoch: number) => void;
  onEpochEnd?: (history: History) => void | Promise<void>;
  /** Once the run folder is locked and checked, before the first epoch (or the finishing writes). */
  onStart?: () => void | Promise<void>;
  /** After the model is saved and before the history is (the tests kill the process here). */
  onModelSaved?: () => void | Promise<void>;
  /** Where notes go (a stale lock taken over, an interrupt noticed); default console.error. */
  log?: (line: string) => void;
}

export interface TrainResult {
  model: LayersModel;
  history: History;
  /** The number of epochs a checkpoint already held when this run started (0 for a fresh run). */
  resumedFromEpoch: number;
}

/** Trainings of this process that were interrupted and are finishing their step, by run folder. */
const stoppingHere: Map<string, Promise<unknown>> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("fashion-mnist.stopping-runs")
] ??= new Map<string, Promise<unknown>>()) as Map<string, Promise<unknown>>;

/**
 * Train, or resume or finish the run in `runDir`. The folder is locked for the duration (run-lock.ts);
 * SIGINT stops the training at the end of the current step with a TrainingInterrupted error (also
 * logged), leaving the last epoch's checkpoint as it was.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const key = path.resolve(options.runDir);
  // Rerunning a cell right after interrupting it: the interrupted training is ending its step.
  await stoppingHere.get(key);
  const log = options.log ?? ((line: string) => console.error(line));
  const lock = await acquireRunLock(options.runDir);
  if (lock.takeoverNote) log(lock.takeoverNote);
  let markStopped: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const run = (async () => {
    // Outside the cell's synchronous start, where tslab would lose the listener (interrupt.ts).
    await nextTurn();
    const watch = watchInterrupts(() => {
      stoppingHere.set(key, stopped);
      log("Interrupt received: the training stops at the end of the current step.");
    });
    try {
      return await runTraining(options, watch, lock);
    } finally {
      watch.stop();
    }
  })();
  try {
    return await run;
  } catch (error) {
    // In Jupyter, tslab has already ended the cell by the time the training stops: a rejection would be
    // shown nowhere, while a line logged now still lands in that cell's output.
    if (error instanceof TrainingInterrupted) log(error.message);
    throw error;
  } finally {
    await lock.release();
    stoppingHere.delete(key);
    markStopped!();
  }
}

async function runTraining(
  options: TrainOptions,
  interrupt: InterruptWatch,
  lock: RunLock,
): Promise<TrainResult> {
  const { profile, train, test, runDir } = options;
  const paths = runPaths(runDir);
  const variant = options.variant ?? ARTICLE_VARIANT;
  const expected = runIdentity(profile, variant, train, test);
  const schedule = variantSchedule(variant);
  const batches = stepsPerEpoch({ ...profile, trainExamples: train.count });
  const learningRateAt = schedule.at(profile, batches);

  await removeStaleTemps(runDir);
  let found = await findCheckpoint(paths.checkpoint, expected);
  if (found?.finished && options.restart) {
    // Retraining replaces a finished run's model and history, whosever they are; a run killed before it
    // wrote them is finished first.
    if (runResultsWritten(paths)) found = undefined;
  } else if (found?.finished) {
    // Only finishing is left: a model or history of another run beside the checkpoint is refused.
    completeRunHistory(paths, found);
  }
  // A run that starts afresh must not leave an earlier run's model and history beside its checkpoints.
  if (!found) await removeRunResults(paths);
  const damagedCheckpoint = found && `delete ${projectRelative(found.dir)} to start the run again`;
  const model = found ? await loadModel(found.dir, damagedCheckpoint) : variant.build(profile.seed);
  try {
    const optimizer = compileWithSGD(model, profile);
    if (found) await restoreOptimizer(optimizer, found.dir, damagedCheckpoint!);
    const history = found?.state.history ?? emptyHistory();
    const resumedFromEpoch = epochsIn(history);
    const dropout = seededDropout(model, profile.seed);
    if (resumedFromEpoch < profile.epochs) await checkRoomForCheckpoints(runDir, model);
    await options.onStart?.();

    for (let epoch = resumedFromEpoch; epoch < profile.epochs; epoch++) {
      const started = Date.now();
      const firstIteration = epoch * batches;
      // A fresh, seeded order every epoch — the same on a resumed run as on an uninterrupted one.
      const epochSeed = profile.seed * 1000 + epoch;
      const order = tf.tensor1d(shuffledIndices(train.count, epochSeed), "int32");
      const shuffled = tf.gather(train.x, order);
      const x = variant.augment ? augmentImages(shuffled, { seed: epochSeed }) : shuffled;
      const y = tf.gather(train.y, order);
      tf.dispose([order, ...(x === shuffled ? [] : [shuffled])]);
      let fitLogs: { loss: number; acc: number; valLoss: number; valAcc: number };
      let stepsDone = 0;
      try {
        const fit = await fitEpoch(model, x, y, test, profile, epoch, [
          schedule.everyBatch(optimizer, profile, batches, epoch),
          {
            onBatchBegin: async (batch) => dropout.reseed(firstIteration + batch),
            onBatchEnd: async (batch) => {
              stepsDone = batch + 1;
              options.onBatchEnd?.(batch + 1, batches, epoch);
              await nextTurn();
              if (interrupt.requested) model.stopTraining = true;
            },
          },
        ]);
        const last = (key: string) => fit.history[key]?.[0] as number;
        fitLogs = {
          loss: last("loss"),
          acc: last("acc"),
          valLoss: last("val_loss"),
          valAcc: last("val_acc"),
        };
      } finally {
        tf.dispose([x, y]);
        dropout.reset();
      }
      if (interrupt.requested) {
        throw interruptedError(paths, epoch, `step ${stepsDone} of ${batches}`, epoch);
      }
      history.loss.push(fitLogs.loss);
      history.acc.push(fitLogs.acc);
      history.val_loss.push(fitLogs.valLoss);
      history.val_acc.push(fitLogs.valAcc);
      history.seconds.push((Date.now() - started) / 1000);
      history.learningRate.push(learningRateAt(firstIteration + batches - 1));
      lock.checkHeld(`writing the checkpoint of epoch ${epoch + 1}`);
      await writeCheckpoint(paths.checkpoint, model, optimizer, { fingerprint: expected, history });
      await options.onEpochEnd?.(history);
      if (interrupt.requested && epoch + 1 < profile.epochs) {
        throw interruptedError(paths, epoch, "its last step", epoch + 1);
      }
    }

    lock.checkHeld("saving the model");
    await saveModel(model, paths.model, expected);
    await options.onModelSaved?.();
    await writeFileAtomic(paths.history, historyFileText(expected, history));
    return { model, history, resumedFromEpoch };
  } catch (error) {
    // An interrupted or failed run's model is of no use to the caller, who never receives it.
    disposeModel(model);
    throw error;
  }
}

function interruptedError(
  paths: RunPaths,
  epoch: number,
  where: string,
  checkpointEpochs: number,
): TrainingInterrupted {
  const resume =
    checkpointEpochs === 0
      ? "no epoch had finished, so running it again starts the run afresh"
      : `the checkpoint of epoch ${checkpointEpochs} in ${projectRelative(paths.checkpoint)} is ` +
        "intact: run the cell (or command) again to resume from it";
  return new TrainingInterrupted(
    `Training interrupted in epoch ${epoch + 1} after ${where}; ${resume}.`,
  );
}

/**
 * The model's Dropout layers with a seed per layer and training step, derived from the run's seed: a
 * seeded run draws the same dropout masks every time (and a resumed one those of an uninterrupted run).
 * TensorFlow.js applies a Dropout layer's seed to every call alike, so a fixed seed would drop the same
 * units at every step; hence a new one per step, cleared afterwards so saved models carry none.
 */
function seededDropout(model: LayersModel, seed: number) {
  const layers = model.layers.filter((layer) => layer.getClassName() === "Dropout") as unknown as {
    seed?: number;
  }[];
  return {
    reseed: (iteration: number) =>
      layers.forEach((layer, i) => (layer.seed = hashSeed(seed, iteration, i))),
    reset: () => layers.forEach((layer) => (layer.seed = undefined)),
  };
}

function hashSeed(...parts: number[]): number {
  return parts.reduce((hash, part) => Math.imul(hash ^ part, 0x9e3779b1) >>> 0, 0x811c9dc5);
}

/**
 * Refuse to start training when the run folder's disk cannot take what the run writes: a checkpoint (the
 * weights and as much again of momentum) written beside the previous one, then the model. A full disk
 * would otherwise be found only after the first epoch had trained.
 */
async function checkRoomForCheckpoints(runDir: string, model: LayersModel): Promise<void> {
  const weightBytes = model.countParams() * 4;
  const needed = 2 * (2 * weightBytes) + weightBytes + 2 ** 20;
  const { bavail, bsize } = await fs.promises.statfs(runDir);
  const free = bavail * bsize;
  if (free < needed) {
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    throw new WriteError(
      runDir,
      Object.assign(
        new Error(
          `the disk has ${mb(free)} free, and the run's checkpoints and model need about ${mb(needed)}`,
        ),
        { code: "ENOSPC" },
      ),
    );
  }
}

async function removeRunResults(paths: RunPaths): Promise<void> {
  await fs.promises.rm(paths.model, { recursive: true, force: true });
  await fs.promises.rm(`${paths.model}.old`, { recursive: true, force: true });
  await fs.promises.rm(paths.history, { force: true });
}

async function writeCheckpoint(
  dir: string,
  model: LayersModel,
  optimizer: MomentumOptimizer,
  state: CheckpointState,
) {
  await writeDirAtomic(dir, {
    ...(await modelFiles(model, state.fingerprint)),
    ...(await optimizerFiles(optimizer)),
    "state.json": JSON.stringify(state),
  });
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
  const expected = runIdentity(
    options.profile,
    options.variant ?? ARTICLE_VARIANT,
    options.train,
    options.test,
  );
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
