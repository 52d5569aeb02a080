/**
 * Every picture the notebooks show, drawn with node-canvas to PNG (show them with `showPng` from
 * lib/notebook): the sample grid, the training chart, probability bars, the confusion heatmap, the
 * prediction montage and a photo's preprocessing steps, on shared canvas primitives.
 */
export type { Rgb } from "./plots/paint";
export { blues, heatmap } from "./plots/heatmap";
export { imageGrid } from "./plots/image-grid";
export {
  buildMontage,
  CORRECT_COLOR,
  putLabel,
  rgbTile,
  tileOrigin,
  WRONG_COLOR,
} from "./plots/montage";
export { drawPhotoSteps } from "./plots/photo-steps";
export { BAR_COLOR, PREDICTED_COLOR, probabilityBars, TRUE_COLOR } from "./plots/probability-bars";
export {
  lineChart,
  PLOTLY_MIME,
  plotlyFigure,
  trainingChartBundle,
  learningRateBundle,
  validationAccuracyBundle,
  trainingSeries,
} from "./plots/training-chart";
