/**
 * Data augmentation for Fashion-MNIST: every epoch sees each training image randomly mirrored left–right
 * (clothes are roughly symmetric; a mirrored sneaker is still a sneaker) and shifted by a few pixels, so the
 * network cannot memorise exact pixel positions. Whole-batch tensor ops, seeded so runs repeat.
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import { mulberry32 } from "./random";
import { tf } from "./tf";

export interface AugmentOptions {
  /** Largest shift in pixels, in each direction (default 2). */
  maxShift?: number;
  /** Probability of mirroring an image (default 0.5). */
  flipProbability?: number;
  seed: number;
}

/**
 * A randomly mirrored and shifted copy of `images` ([n, h, w, c]). Shifting pads with the black background
 * and cuts an h×w window at a random integer offset — `cropAndResize` with boxes exactly the window's size,
 * so pixels move without being interpolated.
 */
export function augmentImages(images: Tensor4D, { maxShift = 2, flipProbability = 0.5, seed }: AugmentOptions): Tensor4D {
  const [n, height, width] = images.shape;
  const random = mulberry32(seed);
  const flips = Float32Array.from({ length: n }, () => (random() < flipProbability ? 1 : 0));
  const paddedH = height + 2 * maxShift;
  const paddedW = width + 2 * maxShift;
  // Box corners are normalised to [0, 1] over the padded image; y2 - y1 spans exactly height - 1 pixel steps.
  const boxes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random() * (2 * maxShift + 1));
    const dx = Math.floor(random() * (2 * maxShift + 1));
    boxes.set([dy / (paddedH - 1), dx / (paddedW - 1), (dy + height - 1) / (paddedH - 1), (dx + width - 1) / (paddedW - 1)], i * 4);
  }
  return tf.tidy(() => {
    const flipMask = tf.tensor4d(flips, [n, 1, 1, 1]);
    const mirrored = tf.add(tf.mul(tf.reverse(images, 2), flipMask), tf.mul(images, tf.sub(1, flipMask)));
    const padded = tf.pad(mirrored, [[0, 0], [maxShift, maxShift], [maxShift, maxShift], [0, 0]]);
    const boxIndices = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i), "int32");
    return tf.image.cropAndResize(padded as Tensor4D, tf.tensor2d(boxes, [n, 4]), boxIndices, [height, width], "nearest");
  });
}
