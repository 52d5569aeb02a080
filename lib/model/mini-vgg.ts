/**
 * MiniVGGNet, as in the article: a small VGG-style network that only uses 3×3 convolutions,
 * stacked two at a time before each pooling step.
 */
import type { Sequential } from "@tensorflow/tfjs";
import { tf } from "../backend";

export interface ModelShape {
  width: number;
  height: number;
  depth: number;
  classes: number;
  /** Seeds the initial weights, so a run can be repeated; omit for fresh random weights. */
  seed?: number;
  /** Filters of each conv block; the article's MiniVGGNet has two blocks, [32, 64]. */
  blockFilters?: number[];
  name?: string;
}

/**
 * Build MiniVGGNet for channels-last inputs of shape [height, width, depth] (the layout TensorFlow.js
 * uses on every backend, so the article's channels-first branch is not needed).
 * Layers get Keras-like names ("block1_conv1", …) so summaries are readable and saved weights are stable.
 */
export function build({
  width,
  height,
  depth,
  classes,
  seed,
  blockFilters = [32, 64],
  name = "MiniVGGNet",
}: ModelShape): Sequential {
  const layers = tf.layers;
  let layerIndex = 0;
  // Each layer gets its own seed: the same seed everywhere would give every layer the same pattern.
  const init = () =>
    seed === undefined
      ? {}
      : { kernelInitializer: tf.initializers.glorotUniform({ seed: seed + layerIndex++ }) };

  // Conv 3×3 (same) → ReLU → BatchNorm: the article applies batch norm after the activation.
  const convBlock = (
    block: number,
    filters: number,
    first?: { inputShape: [number, number, number] },
  ) =>
    [1, 2].flatMap((n) => [
      layers.conv2d({
        name: `block${block}_conv${n}`,
        filters,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        ...init(),
        ...(n === 1 ? first : {}),
      }),
      layers.batchNormalization({ name: `block${block}_bn${n}`, axis: -1 }),
    ]);
  const downsample = (block: number) => [
    layers.maxPooling2d({ name: `block${block}_pool`, poolSize: 2, strides: 2 }),
    layers.dropout({ name: `block${block}_dropout`, rate: 0.25 }),
  ];

  return tf.sequential({
    name,
    layers: [
      ...blockFilters.flatMap((filters, i) => [
        ...convBlock(i + 1, filters, i === 0 ? { inputShape: [height, width, depth] } : undefined),
        ...downsample(i + 1),
      ]),
      layers.flatten({ name: "flatten" }),
      layers.dense({ name: "fc1", units: 512, activation: "relu", ...init() }),
      layers.batchNormalization({ name: "fc1_bn" }),
      layers.dropout({ name: "fc1_dropout", rate: 0.5 }),
      layers.dense({ name: "predictions", units: classes, activation: "softmax", ...init() }),
    ],
  });
}

/**
 * A deeper variant for the "beating 94%" experiment: a third VGG block with 128 filters. It works on 7×7
 * maps (cheap), and pooling to 3×3 shrinks the big dense layer's input from 3,136 to 1,152 values.
 */
export function buildDeeper(shape: Omit<ModelShape, "blockFilters" | "name">): Sequential {
  return build({ ...shape, blockFilters: [32, 64, 128], name: "DeeperVGG" });
}
