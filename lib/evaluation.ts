/**
 * Steps 4–5, evaluation (notebooks 4–6): predictions on the test images, scikit-learn's classification
 * report and confusion matrix, the classes confused most, the montage's sample, and the comparison of the
 * article's model with notebook 6's improvement.
 */
export { comparisonTable, reportedTable, trainedRow } from "./evaluation/comparison";
export { evaluateCombinations } from "./evaluation/ensemble";
export { readRecipeSelection, readRecipeSpread, viewsName } from "./evaluation/recipe-choice";
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
  reportToHtml,
} from "./evaluation/report";
