/**
 * Talking to the reader: rich output from a tslab cell (PNG, HTML, Markdown, several mime types at once,
 * outputs redrawn in place), listings of the library's source, small HTML tables, progress bars, and a training's progress and reuse.
 */
export { showHtml, showJpeg, showMulti, showPng } from "./notebook/display";
export { htmlTable } from "./html";
export { showMarkdown, showSource } from "./notebook/markdown";
export { downloadProgressOnStderr } from "./terminal";
export { trainOrReuse } from "./notebook/train-or-reuse";
export { runTitle, showFinishedRun, TrainingProgress } from "./notebook/training-progress";
