/**
 * MiniVGGNet, as the article builds it: a small VGG-style network of 3×3 convolutions, two before each
 * pooling step, and the deeper variant of notebook 6, both from the same two pieces (a convolution block
 * and the classifier). Notebook 2 shows this source as it is here, one `model.add` per layer in the
 * article's order; seeding the initial weights happens after building (`seedInitialWeights`).
 */
import type { Sequential } from "@tensorflow/tfjs";
import { tf } from "../backend";

export interface ModelShape {
  width: number;
  height: number;
  depth: number;
  classes: number;
}

interface ConvBlockOptions {
  /** The first block of a network names the input's shape. */
  inputShape?: number[];
  /** The share of activations dropout zeroes during training (the article's 0.25). */
  dropout?: number;
}

/**
 * One CONV => RELU => BN => CONV => RELU => BN => POOL => DROPOUT block with `filters` filters, as the
 * article writes it: two 3×3 convolutions see a 5×5 neighbourhood; pooling halves the width and height.
 */
function addConvBlock(
  model: Sequential,
  filters: number,
  { inputShape, dropout = 0.25 }: ConvBlockOptions = {},
): void {
  model.add(tf.layers.conv2d({ inputShape, filters, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: dropout }));
}

/** The first (and only) set of FC => RELU layers, then the softmax classifier. */
function addClassifier(model: Sequential, classes: number): void {
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512 }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: classes }));
  model.add(tf.layers.activation({ activation: "softmax" }));
}

/**
 * The article's MiniVGGNet for channels-last inputs [height, width, depth], the layout TensorFlow.js uses
 * on every backend (so the article's channels-first branch is not needed): two blocks, 32 then 64 filters.
 */
export function miniVGGNet({ width, height, depth, classes }: ModelShape): Sequential {
  const model = tf.sequential({ name: "MiniVGGNet" });
  addConvBlock(model, 32, { inputShape: [height, width, depth] });
  addConvBlock(model, 64);
  addClassifier(model, classes);
  return model;
}

/**
 * A deeper variant for notebook 6's "beating 94%": a third block with 128 filters. It works on 7×7 maps
 * (cheap), and pooling to 3×3 shrinks the dense layer's input from 3,136 to 1,152 values. Its blocks drop
 * `blockDropout` of their activations (the article's 0.25 unless told): a network trained on augmented
 * images is already kept from memorising them, and may need less.
 */
export function deeperVGG(
  { width, height, depth, classes }: ModelShape,
  blockDropout = 0.25,
): Sequential {
  const model = tf.sequential({ name: "DeeperVGG" });
  addConvBlock(model, 32, { inputShape: [height, width, depth], dropout: blockDropout });
  addConvBlock(model, 64, { dropout: blockDropout });
  addConvBlock(model, 128, { dropout: blockDropout });
  addClassifier(model, classes);
  return model;
}
