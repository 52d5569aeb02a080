/**
 * Graph mode on native TensorFlow: the training step of `fit`, the forward pass of `predict` and of
 * evaluation, each recorded once and run as one TensorFlow graph (lib/backend/graph-mode/ says how). One
 * switch turns it on for every model; `runEagerly` keeps one model op by op.
 */
export { runEagerly, useGraphMode } from "./graph-mode/model-graphs";
