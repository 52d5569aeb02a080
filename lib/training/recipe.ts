/**
 * The article's optimiser and learning-rate schedule in TensorFlow.js: SGD with momentum compiled with
 * categorical cross-entropy, and Keras' time-based decay (LearningRateEveryBatch applies it per batch).
 */
import type { LayersModel, MomentumOptimizer } from "@tensorflow/tfjs";
import { tf } from "../backend";
import type { Profile } from "../session";

/**
 * Keras: `opt = SGD(lr=INIT_LR, momentum=0.9, decay=INIT_LR / NUM_EPOCHS)` and
 * `model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])`.
 * TensorFlow.js's SGD has no `decay`: LearningRateEveryBatch adds it.
 */
export function compileWithSGD(model: LayersModel, profile: Profile): MomentumOptimizer {
  const optimizer = tf.train.momentum(profile.initialLearningRate, profile.momentum);
  model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return optimizer;
}

/** Keras' time-based decay: lr = lr₀ / (1 + decay · iterations), iterations = batches trained so far. */
export function timeBasedDecay(
  initialLearningRate: number,
  decay: number,
): (iteration: number) => number {
  return (iteration) => initialLearningRate / (1 + decay * iteration);
}

/** The article's schedule: decay = INIT_LR / NUM_EPOCHS. */
export function articleSchedule(
  initialLearningRate: number,
  epochs: number,
): (iteration: number) => number {
  return timeBasedDecay(initialLearningRate, initialLearningRate / epochs);
}
