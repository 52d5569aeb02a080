/**
 * Step 3, training (notebook 3): the article's loop with checkpoints and resume, the saved model, the
 * variants of notebook 6, the learning-rate schedule, the history, train-or-reuse, finished runs, and the
 * run-time estimate.
 */
export {
  describeEstimate,
  estimateRunSeconds,
  estimateRunTimes,
  inferenceThroughput,
  trainingThroughput,
} from "./estimate";
export type { MeasureOptions, RunEstimate } from "./estimate";
export {
  emptyHistory,
  epochLine,
  epochsIn,
  formatDuration,
  HISTORY_KEYS,
  parseHistory,
} from "./history";
export type { History } from "./history";
export { loadModel, modelFiles, optimizerFiles, restoreOptimizer, saveModel } from "./model-store";
export { articleSchedule, timeBasedDecay } from "./schedule";
export { compareWithArticle, historyTable, learningRateTable } from "./tables";
export { disposeModel, evaluate, finishedRunHistory, trainModel } from "./train";
export type { TrainOptions, TrainResult } from "./train";
export { loadFinishedRun, loadRunHistory, trainOrReuse } from "./train-or-reuse";
export type { FinishedRun, SessionTrainResult, TrainOrReuseOptions } from "./train-or-reuse";
export { ARTICLE_VARIANT, AUGMENTED_ARTICLE_VARIANT, IMPROVED_VARIANT } from "./variants";
export type { TrainingVariant } from "./variants";
