/**
 * Evaluating a trained model on the test images: class predictions, the pairs of classes it confuses most,
 * and the seeded sample of test images the montage shows.
 */
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { htmlTable } from "../html";
import { sampleIndices } from "../random";
import { percent } from "../percent";

export interface Predictions {
  /** The most probable class of each image. */
  classes: Int32Array;
  /** Softmax outputs, row-major [n, numClasses]. */
  probabilities: Float32Array;
  numClasses: number;
}

/** Predict in large batches (inference needs no small ones), keeping only the results in memory. */
export async function predict(
  model: LayersModel,
  x: Tensor,
  batchSize = 256,
): Promise<Predictions> {
  return readPredictions(model.predict(x, { batchSize }) as Tensor);
}

/** Class probabilities [n, numClasses] read back with their most probable classes; frees the tensor. */
export async function readPredictions(probabilitiesTensor: Tensor): Promise<Predictions> {
  const classesTensor = tf.argMax(probabilitiesTensor, 1);
  try {
    const [probabilities, classes] = await Promise.all([
      probabilitiesTensor.data() as Promise<Float32Array>,
      classesTensor.data() as Promise<Int32Array>,
    ]);
    return { classes, probabilities, numClasses: probabilitiesTensor.shape[1] as number };
  } finally {
    tf.dispose([probabilitiesTensor, classesTensor]);
  }
}

export function probabilitiesOf(predictions: Predictions, index: number): number[] {
  const n = predictions.numClasses;
  return Array.from(predictions.probabilities.subarray(index * n, (index + 1) * n));
}

export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) right++;
  return right / labels.length;
}

export interface Confusion {
  trueClass: number;
  predictedClass: number;
  count: number;
  /** Share of the true class's examples that went to the predicted class. */
  rate: number;
}

/** The off-diagonal cells of a confusion matrix, largest first. */
export function mostConfused(matrix: number[][], top = 6): Confusion[] {
  const cells: Confusion[] = [];
  matrix.forEach((row, t) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => {
      if (p !== t && count > 0)
        cells.push({ trueClass: t, predictedClass: p, count, rate: count / support });
    });
  });
  return cells.sort((a, b) => b.count - a.count || a.trueClass - b.trueClass).slice(0, top);
}

export function confusionTable(confusions: Confusion[], labelNames: readonly string[]): string {
  return htmlTable(
    ["true class", "predicted as", "images", "share of the class"],
    confusions.map((c) => [
      labelNames[c.trueClass],
      labelNames[c.predictedClass],
      c.count,
      percent(c.rate),
    ]),
    { numeric: [2, 3] },
  );
}

/** `count` distinct test indices chosen with the profile's seed (in increasing order). */
export function montageIndices(total: number, count: number, seed: number): number[] {
  return Array.from(sampleIndices(total, count, seed));
}
