/** Step 2, the model (notebook 2): MiniVGGNet, its deeper variant, and a Keras-style summary. */
export { build, buildDeeper } from "./mini-vgg";
export type { ModelShape } from "./mini-vgg";
export { summarize, summaryHtml, summaryText } from "./summary";
export type { LayerRow, ModelSummary } from "./summary";
