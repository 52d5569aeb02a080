/**
 * Step 3, training (notebook 3): the article's loop with checkpoints and resume, the saved model, the
 * variants of notebook 6, the recipe (optimiser, compile, decay, fit), the history, train-or-reuse, finished runs, and the
 * run-time estimate.
 */
export {
  describeEstimate,
  estimateRunSeconds,
  estimateRunTimes,
  estimateSideBySide,
  inferenceThroughput,
  trainingThroughput,
} from "./training/estimate";
export type {
  MeasureOptions,
  RunEstimate,
  SideBySideEstimate,
  SideBySideOptions,
} from "./training/estimate";
export {
  emptyHistory,
  epochLine,
  epochLines,
  epochsIn,
  formatDuration,
  HISTORY_KEYS,
  parseHistory,
} from "./training/history";
export type { History } from "./training/history";
export { TrainingInterrupted } from "./training/interrupt";
export {
  describeKerasReference,
  kerasSecondsPerEpoch,
  loadKerasReference,
} from "./training/keras-reference";
export type { KerasReference } from "./training/keras-reference";
export {
  DamagedModelError,
  loadModel,
  modelFiles,
  optimizerFiles,
  restoreOptimizer,
  saveModel,
} from "./training/model-store";
export {
  acquireRunLock,
  liveLockHolder,
  LOCK_FILE,
  removeRunFolders,
  RunBusyError,
} from "./training/run-lock";
export type { LockHolder, RunLock } from "./training/run-lock";
export {
  articleSchedule,
  compileWithSGD,
  decayEveryBatch,
  fitEpoch,
  timeBasedDecay,
} from "./training/recipe";
export {
  ARTICLE_SCHEDULE,
  ONE_CYCLE_SCHEDULE,
  oneCycle,
  oneCycleEveryBatch,
  oneCycleOver,
} from "./training/schedules";
export type { LearningRateSchedule } from "./training/schedules";
export {
  compareWithArticle,
  describeSchedule,
  historyTable,
  learningRateTable,
  settingsTable,
} from "./training/tables";
export { disposeModel, finishedRunHistory, trainModel } from "./training/train";
export type { TrainOptions, TrainResult } from "./training/train";
export { loadFinishedRun, loadRunHistory, trainOrReuse } from "./training/train-or-reuse";
export type {
  FinishedRun,
  SessionTrainResult,
  TrainOrReuseOptions,
} from "./training/train-or-reuse";
export {
  ARTICLE_VARIANT,
  AUGMENTED_ARTICLE_VARIANT,
  IMPROVED_VARIANT,
  ONE_CYCLE_VARIANT,
  ONE_CYCLE_SECOND_SEED_VARIANT,
  ONE_CYCLE_THIRD_SEED_VARIANT,
  VARIANT_NAMES,
  variantNamed,
  variantProfile,
  variantSchedule,
} from "./training/variants";
export type { TrainingVariant } from "./training/variants";
