/**
 * The article's training recipe in TensorFlow.js, the listing notebook 3 shows: SGD with momentum,
 * `compile`, Keras' per-batch time-based decay and `fit`. The training loop (train.ts) runs exactly these,
 * one epoch per `fit` so that every epoch ends in a checkpoint; checkpoints, resuming and interrupts stay
 * there, out of the listing.
 */
import type {
  CustomCallbackArgs,
  History as FitHistory,
  LayersModel,
  MomentumOptimizer,
  Tensor,
} from "@tensorflow/tfjs";
import { tf } from "../backend";
import type { PreparedSplit } from "../data";
import type { Profile } from "../session";

/**
 * Keras: `opt = SGD(lr=INIT_LR, momentum=0.9, decay=INIT_LR / NUM_EPOCHS)` and
 * `model.compile(loss="categorical_crossentropy", optimizer=opt, metrics=["accuracy"])`.
 * TensorFlow.js's SGD has no `decay`: `decayEveryBatch` below adds it.
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

/** A `fit` callback that sets the decayed learning rate before every batch of `epoch` (counting from 0). */
export function decayEveryBatch(
  optimizer: MomentumOptimizer,
  profile: Profile,
  batchesPerEpoch: number,
  epoch: number,
): CustomCallbackArgs {
  const learningRateAt = articleSchedule(profile.initialLearningRate, profile.epochs);
  return {
    onBatchBegin: async (batch) => {
      optimizer.setLearningRate(learningRateAt(epoch * batchesPerEpoch + batch));
    },
  };
}

/**
 * Keras: `H = model.fit(trainX, trainY, validation_data=(testX, testY), batch_size=BS,
 * epochs=NUM_EPOCHS)`, here one epoch per call.
 */
export function fitEpoch(
  model: LayersModel,
  trainX: Tensor,
  trainY: Tensor,
  test: PreparedSplit,
  profile: Profile,
  epoch: number,
  callbacks: CustomCallbackArgs[],
): Promise<FitHistory> {
  return model.fit(trainX, trainY, {
    validationData: [test.x, test.y],
    batchSize: profile.batchSize,
    epochs: epoch + 1,
    initialEpoch: epoch,
    // The loop shuffles every epoch itself, seeded, so that a resumed run sees the same order.
    shuffle: false,
    verbose: 0,
    callbacks,
  });
}
