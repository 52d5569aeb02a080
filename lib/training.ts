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
} from "./training/estimate";
export type { SideBySideEstimate } from "./training/estimate";
export { emptyHistory, epochLine, epochLines, epochsIn, formatDuration } from "./training/history";
export type { History } from "./training/history";
export { TrainingInterrupted } from "./training/interrupt";
export {
  describeKerasReference,
  kerasSecondsPerEpoch,
  loadKerasReference,
} from "./training/keras-reference";
export { DamagedModelError, loadModel, saveModel } from "./training/model-store";
export { LOCK_FILE, removeRunFolders, RunBusyError } from "./training/run-lock";
export { articleSchedule, timeBasedDecay } from "./training/recipe";
export { ARTICLE_SCHEDULE, ONE_CYCLE_SCHEDULE, oneCycle, oneCycleOver } from "./training/schedules";
export {
  compareWithArticle,
  describeSchedule,
  historyTable,
  learningRateTable,
  settingsTable,
} from "./training/tables";
export { disposeModel, finishedRunHistory, trainModel } from "./training/train";
export type { TrainOptions } from "./training/train";
export { loadFinishedRun, loadRunHistory, trainOrReuse } from "./training/train-or-reuse";
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
