/** What a callback reads from the `fit` it is in. */
import type { Callback } from "@tensorflow/tfjs";

/** The steps per epoch of that fit: its params name the training samples and the batch size. */
export function stepsPerFitEpoch(callback: Callback): number {
  const { samples, batchSize } = callback.params as { samples: number; batchSize: number };
  return Math.ceil(samples / batchSize);
}
