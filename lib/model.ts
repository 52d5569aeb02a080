/** Step 2, the model (notebook 2): MiniVGGNet, its deeper variant, and a Keras-style summary. */
export { deeperVGG, miniVGGNet } from "./model/mini-vgg";
export type { ModelShape } from "./model/mini-vgg";
export { seedInitialWeights } from "./model/seed";
export { summarize, summaryHtml, summaryText } from "./model/summary";
