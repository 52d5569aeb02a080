/**
 * Every picture the notebooks show, drawn with node-canvas to PNG (show them with `showPng` from
 * lib/notebook): the sample grid, the training chart, probability bars, the confusion heatmap, the
 * prediction montage and a photo's preprocessing steps, on shared canvas primitives.
 */
export { heatmap } from "./plots/heatmap";
export { imageGrid } from "./plots/image-grid";
export { buildMontage, CORRECT_COLOR, putLabel, rgbTile, WRONG_COLOR } from "./plots/montage";
export { drawPhotoSteps } from "./plots/photo-steps";
export { probabilityBars } from "./plots/probability-bars";
export {
  lineFigureBundle,
  lineFigureDrawing,
  plotlyFigure,
  trainingFigure,
} from "./plots/training-chart";
export type { LineFigure } from "./plots/training-chart";
