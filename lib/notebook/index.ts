/**
 * Talking to the reader: rich output from a tslab cell (PNG, HTML, several mime types at once, outputs
 * redrawn in place), small HTML tables, and progress bars for terminals.
 */
export { inTslab, liveDisplay, setDisplaySink, showHtml, showMulti, showPng } from "./display";
export type { DisplayData, DisplaySink, LiveDisplay, MimeBundle, MimeValue } from "./display";
export { escapeHtml, htmlTable, thousands } from "./html";
export type { TableOptions } from "./html";
export { downloadProgressLine, progressBar, trainingProgressBar } from "./progress";
export type { DownloadProgress } from "./progress";
