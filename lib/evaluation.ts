/**
 * Steps 4–5, evaluation (notebooks 4–6): predictions on the test images, scikit-learn's classification
 * report and confusion matrix, the classes confused most, the montage's sample, and the comparison of the
 * article's model with the variants of notebook 6.
 */
export { comparisonTable, describeComparison, reportedTable } from "./evaluation/comparison";
export type { MeasuredRun } from "./evaluation/comparison";
export {
  describeConfusions,
  describeMistakes,
  describeReport,
  describeTraining,
  list,
} from "./evaluation/narrative";
export {
  combinationTable,
  describeCombinations,
  evaluateCombinations,
  predictCombined,
} from "./evaluation/ensemble";
export {
  accuracy,
  confusionTable,
  montageIndices,
  mostConfused,
  predict,
  probabilitiesOf,
} from "./evaluation/predict";
export {
  classificationMetrics,
  classificationReport,
  confusionMatrix,
  formatFixed,
  formatReport,
  reportToHtml,
} from "./evaluation/report";
export type { ClassificationMetrics, MetricRow, ZeroDivision } from "./evaluation/report";
