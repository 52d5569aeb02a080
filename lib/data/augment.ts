/**
 * Data augmentation for Fashion-MNIST: every epoch sees each training image randomly mirrored left–right
 * (clothes are roughly symmetric; a mirrored sneaker is still a sneaker) and shifted by a few pixels, so the
 * network cannot memorise exact pixel positions. Seeded, so runs repeat.
 */
import type { Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { mulberry32 } from "../random";

export interface AugmentOptions {
  /** Largest shift in pixels, in each direction (default 2). */
  maxShift?: number;
  /** Probability of mirroring an image (default 0.5). */
  flipProbability?: number;
  seed: number;
}

/**
 * A randomly mirrored and shifted copy of `images` ([n, h, w, c]); pixels shifted in from outside are
 * background (0). Done as one gather from precomputed source indices, which behaves the same on every
 * backend — tfjs-backend-wasm 4.22's CropAndResize ignores the boxes' x offsets, so it cannot be used here.
 */
export function augmentImages(
  images: Tensor4D,
  { maxShift = 2, flipProbability = 0.5, seed }: AugmentOptions,
): Tensor4D {
  const [n, height, width, channels] = images.shape;
  const random = mulberry32(seed);
  const perImage = height * width * channels;
  const background = n * perImage; // index of a zero appended after the last pixel
  const source = new Int32Array(n * perImage);
  for (let i = 0; i < n; i++) {
    const flip = random() < flipProbability;
    const dy = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
    const dx = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
    for (let r = 0; r < height; r++) {
      const sr = r - dy;
      for (let c = 0; c < width; c++) {
        const shifted = c - dx;
        const sc = flip ? width - 1 - shifted : shifted;
        const inside = sr >= 0 && sr < height && shifted >= 0 && shifted < width;
        const out = i * perImage + (r * width + c) * channels;
        for (let ch = 0; ch < channels; ch++) {
          source[out + ch] = inside ? i * perImage + (sr * width + sc) * channels + ch : background;
        }
      }
    }
  }
  return tf.tidy(() => {
    const flat = tf.concat([tf.reshape(images, [-1]), tf.zeros([1])]);
    return tf.reshape(tf.gather(flat, tf.tensor1d(source, "int32")), images.shape) as Tensor4D;
  });
}
