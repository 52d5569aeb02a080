/**
 * Measuring how many images per second a backend trains and classifies, so a notebook can say how long a
 * run would take here (the run-time estimate), and the benchmark can compare backends. Timings belong in
 * scripts and notebooks, never in unit tests (shared machines are noisy).
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { IMAGE_SIZE, NUM_CLASSES } from "../data";
import { ARTICLE_VARIANT, variantProfile } from "./variants";
import type { TrainingVariant } from "./variants";
import { PROFILES } from "../session";
import type { Profile, Session } from "../session";
import { formatDuration } from "../format";
import { compileWithSGD } from "./recipe";
import { disposeModel } from "./train";

interface MeasureOptions {
  batchSize: number;
  steps: number;
  /** Untimed steps first: the first calls compile kernels and allocate buffers. */
  warmup?: number;
}

async function timeSteps(
  step: () => Promise<void>,
  { steps, warmup = 2 }: MeasureOptions,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const start = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) await step();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Images/s of `model.trainOnBatch` (a compiled model) on batches cut from x, y. */
async function trainingThroughput(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  options: MeasureOptions,
): Promise<number> {
  const batches = batchesOf([x, y], options.batchSize);
  let i = 0;
  const seconds = await timeSteps(async () => {
    const [bx, by] = batches[i++ % batches.length];
    await model.trainOnBatch(bx, by);
  }, options);
  tf.dispose(batches.flat());
  return (options.steps * options.batchSize) / seconds;
}

/** Images/s of `model.predict`, reading the result back as a caller would. */
async function inferenceThroughput(
  model: LayersModel,
  x: Tensor,
  options: MeasureOptions,
): Promise<number> {
  const batches = batchesOf([x], options.batchSize);
  let i = 0;
  const seconds = await timeSteps(async () => {
    const out = model.predict(batches[i++ % batches.length][0]) as Tensor;
    await out.data();
    out.dispose();
  }, options);
  tf.dispose(batches.flat());
  return (options.steps * options.batchSize) / seconds;
}

/** Consecutive whole batches of each tensor (as many as the shortest holds). */
function batchesOf(tensors: Tensor[], batchSize: number): Tensor[][] {
  const count = Math.floor(tensors[0].shape[0] / batchSize);
  if (count < 1)
    throw new RangeError(
      `need at least ${batchSize} examples for one batch, got ${tensors[0].shape[0]}`,
    );
  return Array.from({ length: count }, (_, b) =>
    tensors.map((t) => t.slice(b * batchSize, batchSize)),
  );
}

/**
 * Seconds a profile's run takes at the given speeds: every epoch trains on the train split and evaluates
 * the test split.
 */
export function estimateRunSeconds(
  profile: Profile,
  trainImagesPerSecond: number,
  inferImagesPerSecond: number,
): number {
  return (
    profile.epochs *
    (profile.trainExamples / trainImagesPerSecond + profile.testExamples / inferImagesPerSecond)
  );
}

export interface RunEstimate {
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
  /** The variant's full run (60,000 images × 25 epochs, or its own number) on this machine and backend. */
  fullRunSeconds: number;
  /** This session's profile. */
  profileSeconds: number;
}

/**
 * A short measurement (a few seconds: `trainImages` training images) of a variant's model at its batch
 * size on this backend — the article's MiniVGGNet by default — turned into run-time estimates.
 */
export async function estimateRunTimes(
  session: Session,
  variant: TrainingVariant = ARTICLE_VARIANT,
  trainImages = 1024,
): Promise<RunEstimate> {
  const profile = variantProfile(session.profile, variant);
  const model = variant.build(1);
  compileWithSGD(model, profile);
  const x = tf.randomUniform([256, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([256], 0, NUM_CLASSES, "int32"), NUM_CLASSES).cast("float32"),
  );
  try {
    const { batchSize } = profile;
    // The same number of images at every batch size, so that small batches are not timed on fewer.
    const steps = Math.max(8, Math.round(trainImages / batchSize));
    const trainImagesPerSecond = await trainingThroughput(model, x, y, { batchSize, steps });
    // Validation runs inside fit, at the training batch size (as in Keras).
    const inferImagesPerSecond = await inferenceThroughput(model, x, {
      batchSize,
      steps: 8,
      warmup: 1,
    });
    const full = variantProfile(PROFILES.full, variant);
    return {
      trainImagesPerSecond,
      inferImagesPerSecond,
      fullRunSeconds: estimateRunSeconds(full, trainImagesPerSecond, inferImagesPerSecond),
      profileSeconds: estimateRunSeconds(profile, trainImagesPerSecond, inferImagesPerSecond),
    };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

/** The measured speed, and what it makes of this run and, on a smaller profile, of the article's. */
export function describeEstimate(session: Session, estimate: RunEstimate): string {
  const rate = (perSecond: number) => Math.round(perSecond).toLocaleString("en-US");
  const speed =
    `Measured ${rate(estimate.trainImagesPerSecond)} training images/s and ` +
    `${rate(estimate.inferImagesPerSecond)} test images/s on the '${session.backend.name}' backend`;
  const thisRun = `this ${session.profile.name} run should take about ${formatDuration(estimate.profileSeconds)}`;
  if (session.profile.name === PROFILES.full.name)
    return `${speed}: ${thisRun}, the article's full run.`;
  return (
    `${speed}: ${thisRun}, and the article's full run (60,000 images × 25 epochs) about ` +
    `${formatDuration(estimate.fullRunSeconds)}.`
  );
}
