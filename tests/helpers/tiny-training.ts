/**
 * A training small enough for tests on any backend: a conv → BN → (dropout) → dense model with MiniVGGNet's
 * kinds of layers and gradients, learnable synthetic data, and a profile of a few short epochs.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { tf } from "../../lib/backend";
import type { PreparedSplit } from "../../lib/data";
import { PROFILES } from "../../lib/session";
import type { Profile } from "../../lib/session";
import type { TrainingVariant } from "../../lib/training";
import type { TrainOptions } from "../../lib/training/train";

export function tinyModel(seed: number, dropoutRate = 0): LayersModel {
  const init = (k: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }),
  });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 4,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        ...init(1),
      }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      ...(dropoutRate > 0 ? [tf.layers.dropout({ rate: dropoutRate })] : []),
      tf.layers.dense({ units: 3, activation: "softmax", ...init(2) }),
    ],
  });
}

export const TINY_VARIANT: TrainingVariant = {
  name: "tiny",
  build: () => tinyModel(5),
  augment: false,
  runDirSuffix: "",
};

export const TINY_DROPOUT_VARIANT: TrainingVariant = {
  name: "tiny+dropout",
  build: (seed) => tinyModel(seed, 0.5),
  augment: false,
  runDirSuffix: "",
};

export function syntheticSplit(count: number, seed: number): PreparedSplit {
  return tf.tidy(() => {
    const labels = tf.tensor1d(
      Array.from({ length: count }, (_, i) => (i * 7 + seed) % 3),
      "int32",
    );
    // Class-dependent brightness plus noise, so the model has something to learn.
    const x = tf
      .randomUniform([count, 8, 8, 1], 0, 0.5, "float32", seed)
      .add(labels.cast("float32").reshape([count, 1, 1, 1]).div(4));
    return {
      x: tf.keep(x) as PreparedSplit["x"],
      y: tf.keep(tf.oneHot(labels, 3).cast("float32")) as PreparedSplit["y"],
      count,
    };
  });
}

export const TINY_PROFILE: Profile = {
  ...PROFILES.smoke,
  trainExamples: 48,
  testExamples: 16,
  epochs: 3,
  batchSize: 8,
};

let splits: { train: PreparedSplit; test: PreparedSplit } | undefined;

/**
 * The tiny run's training and test splits, made on the first call and shared by a test file's tests.
 * Call it in the file's `before`, after choosing the backend, so that tensor counts start with them.
 */
export function tinySplits(): { train: PreparedSplit; test: PreparedSplit } {
  return (splits ??= { train: syntheticSplit(48, 1), test: syntheticSplit(16, 2) });
}

/** trainModel's options for the tiny run in `runDir`, silent, with `extra` on top. */
export function tinyTrainOptions(runDir: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    profile: TINY_PROFILE,
    ...tinySplits(),
    runDir,
    variant: TINY_VARIANT,
    log: () => {},
    ...extra,
  };
}
