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
import { resolveAtomicDir, writeDirAtomic, writeFileAtomic } from "../files";
import { runPaths } from "../paths";
import { shuffledIndices } from "../random";
import { stepsPerEpoch } from "../session";
import type { Profile } from "../session";
import { emptyHistory, epochsIn, History, parseHistory } from "./history";
import { loadModel, modelFiles, optimizerFiles, restoreOptimizer, saveModel } from "./model-store";
import { articleSchedule } from "./schedule";
import { ARTICLE_VARIANT } from "./variants";
import type { TrainingVariant } from "./variants";

export interface TrainOptions {
  profile: Profile;
  train: PreparedSplit;
  test: PreparedSplit;
  /** Where the checkpoint, final model and history go, e.g. data/runs/quick. */
  runDir: string;
  /** What to train (default: the article's MiniVGGNet without augmentation). */
  variant?: TrainingVariant;
  onBatchEnd?: (batch: number, batchesPerEpoch: number, epoch: number) => void;
  onEpochEnd?: (history: History) => void | Promise<void>;
}

export interface TrainResult {
  model: LayersModel;
  history: History;
  /** The number of epochs a checkpoint already held when this run started (0 for a fresh run). */
  resumedFromEpoch: number;
}

/** What a checkpoint must match to be resumed: the same experiment, not just the same folder. */
function fingerprint(
  profile: Profile,
  variant: TrainingVariant,
  train: PreparedSplit,
  test: PreparedSplit,
) {
  const { name, epochs, batchSize, initialLearningRate, momentum, seed } = profile;
  return {
    name,
    epochs,
    batchSize,
    initialLearningRate,
    momentum,
    seed,
    trainExamples: train.count,
    testExamples: test.count,
    variant: variant.name,
    augment: variant.augment,
  };
}

interface CheckpointState {
  fingerprint: ReturnType<typeof fingerprint>;
  history: History;
}

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { profile, train, test, runDir } = options;
  const paths = runPaths(runDir);
  const variant = options.variant ?? ARTICLE_VARIANT;
  const expected = fingerprint(profile, variant, train, test);
  const learningRateAt = articleSchedule(profile.initialLearningRate, profile.epochs);
  const batches = stepsPerEpoch({ ...profile, trainExamples: train.count });

  const resumed = await readCheckpoint(paths.checkpoint, expected);
  const model = resumed ? await loadModel(resumed.dir) : variant.build(profile.seed);
  const optimizer = tf.train.momentum(
    profile.initialLearningRate,
    profile.momentum,
  ) as MomentumOptimizer;
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  if (resumed) await restoreOptimizer(optimizer, resumed.dir);
  const history = resumed?.state.history ?? emptyHistory();
  const resumedFromEpoch = epochsIn(history);

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
    let fitLogs: { loss: number; acc: number };
    try {
      const fit = await model.fit(x, y, {
        batchSize: profile.batchSize,
        epochs: epoch + 1,
        initialEpoch: epoch,
        shuffle: false,
        verbose: 0,
        callbacks: {
          onBatchBegin: async (batch) =>
            optimizer.setLearningRate(learningRateAt(firstIteration + batch)),
          onBatchEnd: async (batch) => options.onBatchEnd?.(batch + 1, batches, epoch),
        },
      });
      fitLogs = { loss: fit.history.loss[0] as number, acc: fit.history.acc[0] as number };
    } finally {
      tf.dispose([x, y]);
    }
    const [valLoss, valAcc] = await evaluate(model, test);
    history.loss.push(fitLogs.loss);
    history.acc.push(fitLogs.acc);
    history.val_loss.push(valLoss);
    history.val_acc.push(valAcc);
    history.seconds.push((Date.now() - started) / 1000);
    history.learningRate.push(learningRateAt(firstIteration + batches - 1));
    await writeCheckpoint(paths.checkpoint, model, optimizer, { fingerprint: expected, history });
    await options.onEpochEnd?.(history);
  }

  await saveModel(model, paths.model);
  await writeFileAtomic(paths.history, JSON.stringify(history, null, 1));
  return { model, history, resumedFromEpoch };
}

/** Loss and accuracy on a split, in large batches (inference needs no small batches). */
export async function evaluate(
  model: LayersModel,
  split: PreparedSplit,
  batchSize = 256,
): Promise<[number, number]> {
  const result = model.evaluate(split.x, split.y, { batchSize }) as Tensor[];
  const values = await Promise.all(result.map(async (t) => (await t.data())[0]));
  tf.dispose(result);
  return [values[0], values[1]];
}

async function writeCheckpoint(
  dir: string,
  model: LayersModel,
  optimizer: MomentumOptimizer,
  state: CheckpointState,
) {
  await writeDirAtomic(dir, {
    ...(await modelFiles(model)),
    ...(await optimizerFiles(optimizer)),
    "state.json": JSON.stringify(state),
  });
}

interface FoundCheckpoint {
  dir: string;
  state: CheckpointState;
  finished: boolean;
}

/**
 * The checkpoint of this same experiment, if there is one. A checkpoint of a different experiment is an
 * error rather than silently overwritten or resumed.
 */
async function findCheckpoint(
  dir: string,
  expected: CheckpointState["fingerprint"],
): Promise<FoundCheckpoint | undefined> {
  const found = resolveAtomicDir(dir);
  if (!found) return undefined;
  const statePath = path.join(found, "state.json");
  let state: CheckpointState;
  try {
    const raw = JSON.parse(await fs.promises.readFile(statePath, "utf8")) as CheckpointState;
    state = { ...raw, history: parseHistory(JSON.stringify(raw.history), statePath) };
  } catch (error) {
    throw new Error(
      `cannot resume from ${found}: its state is unreadable (${(error as Error).message}); ` +
        `delete that folder to start the run again`,
    );
  }
  const differences = (Object.keys(expected) as (keyof typeof expected)[])
    .filter((key) => state.fingerprint?.[key] !== expected[key])
    .map((key) => `${key} ${state.fingerprint?.[key]} → ${expected[key]}`);
  if (differences.length > 0) {
    throw new Error(
      `cannot resume from ${found}: it belongs to a different run (${differences.join(", ")}); ` +
        `delete that folder to start this run from scratch`,
    );
  }
  return { dir: found, state, finished: epochsIn(state.history) >= expected.epochs };
}

/** The checkpoint of an unfinished run of this experiment, to resume; undefined to start afresh. */
async function readCheckpoint(
  dir: string,
  expected: CheckpointState["fingerprint"],
): Promise<FoundCheckpoint | undefined> {
  const found = await findCheckpoint(dir, expected);
  return found && !found.finished ? found : undefined;
}

/** The history of a finished run of exactly this experiment whose model was saved, or undefined. */
export async function finishedRunHistory(
  options: Pick<TrainOptions, "profile" | "train" | "test" | "runDir" | "variant">,
): Promise<History | undefined> {
  const paths = runPaths(options.runDir);
  const expected = fingerprint(
    options.profile,
    options.variant ?? ARTICLE_VARIANT,
    options.train,
    options.test,
  );
  const found = await findCheckpoint(paths.checkpoint, expected);
  return found?.finished && fs.existsSync(path.join(paths.model, "model.json"))
    ? found.state.history
    : undefined;
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
