/**
 * The article's optimiser in TensorFlow.js: SGD with momentum compiled with categorical cross-entropy (its
 * time-based decay is notebook 3's, time-based-decay.ts; LearningRateEveryBatch applies it per batch).
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
