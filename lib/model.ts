/**
 * MiniVGGNet, as in the article: a small VGG-style network that only uses 3×3 convolutions,
 * stacked two at a time before each pooling step.
 */
import { tf } from "./tf";

export interface InputShape {
  width: number;
  height: number;
  depth: number;
  classes: number;
}

type Layers = typeof tf.layers;

/** Conv 3×3 (same) → ReLU → BatchNorm, as the article orders them (BN after the activation). */
function convReluBn(layers: Layers, filters: number, inputShape?: [number, number, number]) {
  return [
    layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", ...(inputShape ? { inputShape } : {}) }),
    layers.batchNormalization({ axis: -1 }),
  ];
}

/** Build MiniVGGNet for channels-last inputs of shape [height, width, depth]. */
export function build({ width, height, depth, classes }: InputShape): import("@tensorflow/tfjs").Sequential {
  const layers = tf.layers;
  return tf.sequential({
    name: "MiniVGGNet",
    layers: [
      ...convReluBn(layers, 32, [height, width, depth]),
      ...convReluBn(layers, 32),
      layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      layers.dropout({ rate: 0.25 }),
      ...convReluBn(layers, 64),
      ...convReluBn(layers, 64),
      layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      layers.dropout({ rate: 0.25 }),
      layers.flatten(),
      layers.dense({ units: 512, activation: "relu" }),
      layers.batchNormalization(),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: classes, activation: "softmax" }),
    ],
  });
}
