/**
 * Graph mode on native TensorFlow: each training step of `model.fit` recorded once and run as one
 * TensorFlow graph (lib/backend/graph-mode/train-step.ts says how). One switch turns it on for every model;
 * `runEagerly` keeps one model op by op.
 */
export { runEagerly, useGraphTrainingSteps } from "./graph-mode/train-step";
