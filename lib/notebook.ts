/**
 * Talking to the reader: rich output from a tslab cell (PNG, HTML, Markdown, several mime types at once,
 * outputs redrawn in place), listings of the library's source, small HTML tables, and progress bars.
 */
export {
  inTslab,
  liveDisplay,
  setDisplaySink,
  showHtml,
  showMulti,
  showPng,
} from "./notebook/display";
export type { DisplayData, MimeBundle } from "./notebook/display";
export { htmlTable } from "./html";
export { functionSource, showMarkdown, showSource } from "./notebook/markdown";
export { downloadProgressOnStderr } from "./notebook/progress";
export type { DownloadProgress } from "./notebook/progress";
