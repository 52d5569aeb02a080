/**
 * Training as the notebook runs it: reuse a finished run of this profile unless asked to retrain, show
 * progress while training (a line per epoch, a chart redrawn in place, a progress bar in a terminal), and
 * estimate how long the article's full run takes on this machine.
 */
import { lineChart, plotlyFigure } from "./draw";
import { inTslab, liveDisplay, MimeBundle } from "./display";
import { epochLine, epochsIn, formatDuration, History } from "./history";
import { build } from "./model";
import { loadModel } from "./model-store";
import { PreparedSplit } from "./prepare";
import { PROFILES, stepsPerEpoch } from "./profile";
import { Session } from "./session";
import { htmlTable } from "./html";
import { articleSchedule } from "./schedule";
import { estimateRunSeconds, inferenceThroughput, trainingThroughput } from "./throughput";
import { ARTICLE_VARIANT, disposeModel, finishedRunHistory, runPaths, trainModel, TrainingVariant, TrainResult } from "./train";
import { tf } from "./tf";

/** The training chart as one output: interactive Plotly where the frontend renders it, PNG everywhere else. */
export function historyChart(history: History): MimeBundle {
  return {
    "application/vnd.plotly.v1+json": plotlyFigure(history),
    "image/png": lineChart(history).png,
    "text/plain": `Training history, ${epochsIn(history)} epoch(s)`,
  };
}

export interface SessionTrainResult extends TrainResult {
  /** True when a finished run was loaded instead of trained. */
  reused: boolean;
}

export interface TrainOrReuseOptions {
  /** Default: the article's MiniVGGNet. */
  variant?: TrainingVariant;
  log?: (line: string) => void;
}

/** Where a variant's run of this session's profile lives: data/runs/<profile><variant suffix>. */
export function variantRunDir(session: Session, variant: TrainingVariant = ARTICLE_VARIANT): string {
  return session.runDir + variant.runDirSuffix;
}

/** Train this session's profile, or load its finished run (FMNIST_RETRAIN=1 trains again). */
export async function trainOrReuse(session: Session, train: PreparedSplit, test: PreparedSplit,
  { variant, log = console.log }: TrainOrReuseOptions = {}): Promise<SessionTrainResult> {
  const { profile } = session;
  const runDir = variantRunDir(session, variant);
  const paths = runPaths(runDir);
  const finished = process.env.FMNIST_RETRAIN === "1" ? undefined : await finishedRunHistory({ profile, train, test, runDir, variant });
  if (finished) {
    log(`Reusing the finished ${profile.name} run in ${relativeToProject(runDir)} (FMNIST_RETRAIN=1 trains again).`);
    if (inTslab()) liveDisplay().show(historyChart(finished));
    return { model: await loadModel(paths.model), history: finished, resumedFromEpoch: profile.epochs, reused: true };
  }
  const batches = stepsPerEpoch({ ...profile, trainExamples: train.count });
  log(`Training ${profile.epochs} epoch(s) of ${batches} batches of ${profile.batchSize}; checkpoints in ${relativeToProject(runDir)}`);
  const chart = inTslab() ? liveDisplay() : undefined;
  const bar = !inTslab() && process.stderr.isTTY ? terminalProgressBar() : undefined;
  const result = await trainModel({
    profile, train, test, runDir, variant,
    onBatchEnd: bar,
    onEpochEnd: (history) => {
      bar?.(0, 0, 0);
      log(epochLine(history, profile.epochs));
      chart?.show(historyChart(history));
    },
  });
  if (result.resumedFromEpoch > 0) log(`(resumed after epoch ${result.resumedFromEpoch} from the checkpoint)`);
  return { ...result, reused: false };
}

const relativeToProject = (dir: string) => dir.slice(dir.lastIndexOf("/data/") + 1);

/** A progress bar on stderr for terminals; called with batch 0 it clears the line for the epoch summary. */
function terminalProgressBar(): (batch: number, total: number, epoch: number) => void {
  let last = 0;
  return (batch, total, epoch) => {
    if (batch === 0) return void process.stderr.write("\r\x1b[K");
    const now = Date.now();
    if (batch < total && now - last < 200) return;
    last = now;
    const width = 30;
    const filled = Math.round((batch / total) * width);
    process.stderr.write(`\rEpoch ${epoch + 1} [${"=".repeat(filled)}${".".repeat(width - filled)}] ${batch}/${total}`);
  };
}

export interface RunEstimate {
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  /** The article's full run (60,000 × 25 epochs) on this machine and backend. */
  fullRunSeconds: number;
  /** This session's profile. */
  profileSeconds: number;
}

/** A short measurement (a few seconds) of MiniVGGNet on this backend, turned into run-time estimates. */
export async function estimateRunTimes(session: Session): Promise<RunEstimate> {
  const model = build({ width: 28, height: 28, depth: 1, classes: 10, seed: 1 });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "categoricalCrossentropy" });
  const x = tf.randomUniform([256, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([256], 0, 10, "int32"), 10).cast("float32"));
  try {
    const batchSize = session.profile.batchSize;
    const trainImagesPerSecond = await trainingThroughput(model, x, y, { batchSize, steps: 8 });
    const inferImagesPerSecond = await inferenceThroughput(model, x, { batchSize: 256, steps: 2, warmup: 1 });
    return {
      trainImagesPerSecond,
      inferImagesPerSecond,
      fullRunSeconds: estimateRunSeconds(PROFILES.full, trainImagesPerSecond, inferImagesPerSecond),
      profileSeconds: estimateRunSeconds(session.profile, trainImagesPerSecond, inferImagesPerSecond),
    };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

export function describeEstimate(session: Session, estimate: RunEstimate): string {
  const speed = `${estimate.trainImagesPerSecond.toFixed(0)} training images/s and ${estimate.inferImagesPerSecond.toFixed(0)} ` +
    `test images/s on the '${session.backend.name}' backend`;
  return `Measured ${speed}: the article's full run (60,000 images × 25 epochs) would take about ` +
    `${formatDuration(estimate.fullRunSeconds)} here; this ${session.profile.name} run about ${formatDuration(estimate.profileSeconds)}.`;
}

/** Per-epoch figures as a table, the article's numbers beside them where it reports them. */
export function historyTable(history: History): string {
  const f = (x: number) => x.toFixed(4);
  const rows = history.loss.map((_, e) => [e + 1, f(history.loss[e]), f(history.acc[e]), f(history.val_loss[e]), f(history.val_acc[e]),
    history.learningRate[e].toExponential(3), formatDuration(history.seconds[e])]);
  return htmlTable(["epoch", "loss", "acc", "val_loss", "val_acc", "learning rate", "time"], rows, { numeric: [0, 1, 2, 3, 4, 5, 6] });
}

/** The article's reported epochs (Keras 2, TensorFlow backend, full profile). */
const ARTICLE_EPOCHS: Record<number, { loss?: number; acc?: number; val_loss?: number; val_acc: number }> = {
  1: { loss: 0.5227, acc: 0.8241, val_loss: 0.3165, val_acc: 0.8837 },
  2: { val_acc: 0.9083 },
  3: { val_acc: 0.9107 },
  25: { loss: 0.1679, acc: 0.9391, val_loss: 0.1802, val_acc: 0.9352 },
};

export function compareWithArticle(history: History, session: Session): string {
  const rows = Object.entries(ARTICLE_EPOCHS).map(([epoch, article]) => {
    const e = Number(epoch) - 1;
    const ours = e < epochsIn(history) ? history.val_acc[e].toFixed(4) : "—";
    return [Number(epoch), article.val_acc.toFixed(4), ours];
  });
  return htmlTable(["epoch", "article val_acc (full run)", `this run val_acc (${session.profile.name})`], rows, { numeric: [0, 1, 2] });
}

/** The learning rate the schedule gives at the start of some epochs and at the very end. */
export function learningRateTable(session: Session): string {
  const { profile } = session;
  const batches = stepsPerEpoch(profile);
  const at = articleSchedule(profile.initialLearningRate, profile.epochs);
  const epochs = [...new Set([1, 2, Math.ceil(profile.epochs / 2), profile.epochs])].filter((e) => e <= profile.epochs);
  const rows: (string | number)[][] = epochs.map((e) => [`start of epoch ${e}`, (e - 1) * batches, at((e - 1) * batches).toPrecision(4)]);
  rows.push(["after the last batch", profile.epochs * batches, at(profile.epochs * batches).toPrecision(4)]);
  return htmlTable(["when", "iterations", "learning rate"], rows, { numeric: [1, 2] });
}
