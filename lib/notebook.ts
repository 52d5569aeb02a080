/**
 * Talking to the reader: rich output from a tslab cell (PNG, HTML, Markdown, several mime types at once,
 * outputs redrawn in place), listings of the library's source, small HTML tables, progress bars, and a training's progress and reuse.
 */
export { showHtml, showJpeg, showMulti, showPng } from "./notebook/display";
export { htmlTable } from "./html";
export { showMarkdown, showSource } from "./notebook/markdown";
export { downloadProgressOnStderr } from "./terminal";
export { trainShowingProgress } from "./notebook/train-showing-progress";
export { runTitle, TrainingProgress } from "./notebook/training-progress";
