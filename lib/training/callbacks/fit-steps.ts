/** What a callback reads from the `fit` it is in. */
import type { Callback } from "@tensorflow/tfjs";

/** The steps per epoch of that fit: its params name the training samples and the batch size. */
export function stepsPerFitEpoch(callback: Callback): number {
  const { samples, batchSize } = callback.params as { samples: number; batchSize: number };
  return Math.ceil(samples / batchSize);
}

/**
 * The optimiser steps the model has taken, those of a restored checkpoint included: Keras' `iterations`,
 * which its per-batch decay counts. Read when a batch begins, it is that batch's index in the whole run.
 */
export function iterationsSoFar(callback: Callback): number {
  return callback.model.optimizer.iterations;
}
