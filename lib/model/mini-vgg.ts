/**
 * MiniVGGNet, as the article builds it: a small VGG-style network of 3×3 convolutions, two before each
 * pooling step. Notebook 2 shows `miniVGGNet`'s source as it is here, so it stays a plain listing in the
 * article's order, one `model.add` per layer; seeding the initial weights happens after building
 * (`seedInitialWeights`), outside the listing.
 */
import type { Sequential } from "@tensorflow/tfjs";
import { tf } from "../backend";

export interface ModelShape {
  width: number;
  height: number;
  depth: number;
  classes: number;
}

/**
 * The article's MiniVGGNet for channels-last inputs [height, width, depth], the layout TensorFlow.js uses
 * on every backend (so the article's channels-first branch is not needed).
 */
export function miniVGGNet({ width, height, depth, classes }: ModelShape): Sequential {
  const model = tf.sequential({ name: "MiniVGGNet" });
  const inputShape = [height, width, depth];

  // first CONV => RELU => CONV => RELU => POOL layer set
  model.add(tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));

  // second CONV => RELU => CONV => RELU => POOL layer set
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));

  // first (and only) set of FC => RELU layers
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512 }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dropout({ rate: 0.5 }));

  // softmax classifier
  model.add(tf.layers.dense({ units: classes }));
  model.add(tf.layers.activation({ activation: "softmax" }));
  return model;
}

/**
 * A deeper variant for notebook 6's "beating 94%": a third CONV => RELU => CONV => RELU => POOL set with
 * 128 filters. It works on 7×7 maps (cheap), and pooling to 3×3 shrinks the dense layer's input from
 * 3,136 to 1,152 values.
 */
export function deeperVGG({ width, height, depth, classes }: ModelShape): Sequential {
  const model = tf.sequential({ name: "DeeperVGG" });
  const inputShape = [height, width, depth];

  // first CONV => RELU => CONV => RELU => POOL layer set
  model.add(tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));

  // second CONV => RELU => CONV => RELU => POOL layer set
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));

  // third CONV => RELU => CONV => RELU => POOL layer set: 7×7 → 3×3
  model.add(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: "same" }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization({ axis: -1 }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: 0.25 }));

  // FC => RELU, then the softmax classifier, as in MiniVGGNet
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512 }));
  model.add(tf.layers.activation({ activation: "relu" }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: classes }));
  model.add(tf.layers.activation({ activation: "softmax" }));
  return model;
}
