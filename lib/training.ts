/**
 * Step 3, training (notebook 3): the callbacks `model.fit` trains with (the per-batch learning rate,
 * repeatable randomness, backup and restore, interrupts), the recipe and schedules, the variants of
 * notebook 6 and trainModel for them, the saved model, the history, finished runs, and the run-time
 * estimate.
 */
export { describeEstimate, estimateRunTimes } from "./training/estimate";
export { epochLine, epochLines, epochsIn } from "./training/history";
export type { History } from "./training/history";
export { kerasReferenceTable, loadKerasReference } from "./training/keras-reference";
export { removeRunFolders } from "./training/run-lock";
export {
  compareWithArticle,
  historyTable,
  learningRateTable,
  settingsTable,
} from "./training/tables";
export { BackupAndRestore } from "./training/callbacks/backup-and-restore";
export { LearningRateEveryBatch } from "./training/callbacks/learning-rate-every-batch";
export { RepeatableRandomness } from "./training/callbacks/repeatable-randomness";
export { stepsPerFitEpoch } from "./training/callbacks/fit-steps";
export { RunHistory } from "./training/callbacks/run-history";
export { StopOnInterrupt } from "./training/callbacks/stop-on-interrupt";
export { loadFinishedRun, loadRunHistory } from "./training/finished-runs";
export type { FinishedRun } from "./training/finished-runs";
export { disposeModel, trainModel } from "./training/train";
export type { TrainResult } from "./training/train";
export {
  ARTICLE_VARIANT,
  IMPROVED_VARIANT,
  onValidationSplit,
  VARIANT_NAMES,
  variantNamed,
  variantProfile,
} from "./training/variants";
export type { TrainingVariant } from "./training/variants";
