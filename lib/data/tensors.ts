/**
 * Turning raw Fashion-MNIST bytes into what the network eats, as the article does with NumPy:
 * pixels scaled to [0, 1] as float32, images shaped channels-last [n, 28, 28, 1], labels one-hot.
 * Each conversion is a handful of tensor ops over the whole split, not a JavaScript loop per pixel.
 */
import type { Tensor2D, Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import type { Split } from "./fashion-mnist";
import { IMAGE_SIZE, NUM_CLASSES } from "../shape";

/** [n, 28, 28, 1] float32 in [0, 1]. */
export function imagesToTensor(split: Split): Tensor4D {
  return tf.tidy(() => {
    const pixels = tf.tensor4d(split.images, [split.count, IMAGE_SIZE, IMAGE_SIZE, 1], "int32");
    return tf.div(tf.cast(pixels, "float32"), 255) as Tensor4D;
  });
}

/** [n, 10] float32, e.g. label 8 (Bag) → [0,0,0,0,0,0,0,0,1,0]. */
function labelsToOneHot(split: Split, numClasses = NUM_CLASSES): Tensor2D {
  return tf.tidy(
    () => tf.cast(tf.oneHot(tf.tensor1d(split.labels, "int32"), numClasses), "float32") as Tensor2D,
  );
}

export interface PreparedSplit {
  x: Tensor4D;
  y: Tensor2D;
  count: number;
}

export function prepareSplit(split: Split): PreparedSplit {
  return { x: imagesToTensor(split), y: labelsToOneHot(split), count: split.count };
}

export function disposeSplit(prepared: PreparedSplit): void {
  tf.dispose([prepared.x, prepared.y]);
}
