/**
 * Every picture the notebooks show, drawn with node-canvas to PNG (show them with `showPng` from
 * lib/notebook): the sample grid, the training chart, probability bars, the confusion heatmap, the
 * prediction montage and a photo's preprocessing steps, on shared canvas primitives.
 */
export type { Colormap, Drawing, Panel, Rgb } from "./canvas";
export { blues, heatmap } from "./heatmap";
export type { HeatmapLayout, HeatmapOptions } from "./heatmap";
export { imageGrid } from "./image-grid";
export type { GridLayout, ImageGridOptions } from "./image-grid";
export { CORRECT_COLOR, montage, resizeBilinearGrey, tileOrigin, WRONG_COLOR } from "./montage";
export type { MontageOptions } from "./montage";
export { drawPhotoSteps } from "./photo-steps";
export type { StepsDrawingOptions } from "./photo-steps";
export { BAR_COLOR, PREDICTED_COLOR, probabilityBars, TRUE_COLOR } from "./probability-bars";
export type { ProbabilityBarsOptions } from "./probability-bars";
export { lineChart, plotlyFigure, trainingChartBundle, trainingSeries } from "./training-chart";
export type { ChartOptions, PlotlyFigure, Series, TrainingHistory } from "./training-chart";
