/** Deterministic test tensors, so that a failure reproduces. */
import type { Tensor } from "@tensorflow/tfjs";
import { tf } from "../../lib/backend";
import { mulberry32 } from "../../lib/random";

/** Seeded values in [-1, 1). */
export function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

export function random(shape: number[], seed: number): Tensor {
  return tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** n grey size×size images with fixed pixel values and one-hot labels cycling through the classes. */
export function batch(n: number, size: number, classes: number): { x: Tensor; y: Tensor } {
  const pixels = Float32Array.from({ length: n * size * size }, (_, i) => ((i * 7919) % 255) / 255);
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 3) % classes);
  return {
    x: tf.tensor4d(pixels, [n, size, size, 1]),
    y: tf.oneHot(tf.tensor1d(labels, "int32"), classes).toFloat(),
  };
}
