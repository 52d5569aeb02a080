/**
 * Talking to the reader: rich output from a tslab cell (PNG, HTML, several mime types at once, outputs
 * redrawn in place), small HTML tables, and progress bars for terminals.
 */
export {
  inTslab,
  liveDisplay,
  setDisplaySink,
  showHtml,
  showMulti,
  showPng,
} from "./notebook/display";
export type {
  DisplayData,
  DisplaySink,
  LiveDisplay,
  MimeBundle,
  MimeValue,
} from "./notebook/display";
export { escapeHtml, htmlTable, thousands } from "./notebook/html";
export type { TableOptions } from "./notebook/html";
export { downloadProgressLine, progressBar, trainingProgressBar } from "./notebook/progress";
export type { DownloadProgress } from "./notebook/progress";
