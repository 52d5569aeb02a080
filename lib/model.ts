/**
 * Step 2, the model (notebook 2): MiniVGGNet and notebook 6's deeper variant, both saved from the notebooks'
 * cells (`npm run save-cells`), seeded initial weights, and a Keras-style summary.
 */
export { deeperVGG } from "./model/deeper-vgg";
export { addClassifier, addConvBlock, miniVGGNet } from "./model/mini-vgg";
export type { ModelShape } from "./model/mini-vgg";
export { seedInitialWeights } from "./model/seed";
export { summarize, summaryHtml } from "./model/summary";
