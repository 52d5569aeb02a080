/**
 * Measuring how many images per second a backend trains and classifies, so a notebook can say how long a
 * run would take here, and the benchmark can compare backends. Timings belong in scripts and notebooks,
 * never in unit tests (shared machines are noisy).
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { Profile } from "./profile";
import { tf } from "./tf";

export interface MeasureOptions {
  batchSize: number;
  steps: number;
  /** Untimed steps first: the first calls compile kernels and allocate buffers. */
  warmup?: number;
}

async function timeSteps(step: () => Promise<void>, { steps, warmup = 2 }: MeasureOptions): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const start = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) await step();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Images/s of `model.trainOnBatch` (a compiled model) on batches cut from x, y. */
export async function trainingThroughput(model: LayersModel, x: Tensor, y: Tensor, options: MeasureOptions): Promise<number> {
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
export async function inferenceThroughput(model: LayersModel, x: Tensor, options: MeasureOptions): Promise<number> {
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
  if (count < 1) throw new RangeError(`need at least ${batchSize} examples for one batch, got ${tensors[0].shape[0]}`);
  return Array.from({ length: count }, (_, b) => tensors.map((t) => t.slice(b * batchSize, batchSize)));
}

/** Seconds a profile's run takes at the given speeds: every epoch trains on the train split and evaluates the test split. */
export function estimateRunSeconds(profile: Profile, trainImagesPerSecond: number, inferImagesPerSecond: number): number {
  return profile.epochs * (profile.trainExamples / trainImagesPerSecond + profile.testExamples / inferImagesPerSecond);
}
