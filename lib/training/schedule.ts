/**
 * The article's learning-rate schedule: Keras' legacy `decay` argument of SGD, a time-based decay applied
 * per batch (not per epoch): lr = lr0 / (1 + decay · iterations), with `iterations` the number of batches
 * already trained. The article sets decay = lr0 / epochs.
 */
export function timeBasedDecay(
  initialLearningRate: number,
  decay: number,
): (iteration: number) => number {
  return (iteration) => initialLearningRate / (1 + decay * iteration);
}

export function articleSchedule(
  initialLearningRate: number,
  epochs: number,
): (iteration: number) => number {
  return timeBasedDecay(initialLearningRate, initialLearningRate / epochs);
}
