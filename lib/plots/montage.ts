/**
 * The article's prediction montage: 16 test images, each turned into a 3-channel image, upscaled from
 * 28×28 to 96×96 with bilinear interpolation, the predicted label written at (5, 20) in green when
 * correct and red when wrong, laid out 4×4 (imutils.build_montages) into one 384×384 picture.
 */
import { createImageData } from "canvas";
import { initBackend, tf } from "../backend";
import { IMAGE_SIZE } from "../data/shape";
import { css, finish, font, imageCount, newCanvas } from "./paint";
import type { Drawing, Rgb } from "./paint";

export const CORRECT_COLOR: Rgb = [0, 255, 0];
// The article passes (0, 0, 255) to OpenCV, which is BGR: red.
export const WRONG_COLOR: Rgb = [255, 0, 0];

/**
 * Bilinear resize of n×src×src grey images to n×dst×dst, rounded back to bytes.
 *
 * `halfPixelCenters` makes TensorFlow sample at ((x + 0.5)·src/dst − 0.5), clamped at the borders — the grid
 * cv2.resize(INTER_LINEAR) uses. Without it TF.js uses x·src/dst and the picture shifts by about a pixel.
 * OpenCV computes 8-bit images in 11-bit fixed point, so values can differ from this float result by 1.
 */
export async function resizeBilinearGrey(
  images: Uint8Array,
  srcSize: number,
  dstSize: number,
): Promise<Uint8Array> {
  await initBackend();
  const count = imageCount(images, srcSize);
  const resized = tf.tidy(() => {
    const batch = tf.tensor4d(Float32Array.from(images), [count, srcSize, srcSize, 1]);
    return tf.image.resizeBilinear(batch, [dstSize, dstSize], false, true);
  });
  const values = await resized.data();
  resized.dispose();
  return Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v))));
}

export interface MontageOptions {
  /** Side of the source images (28 for Fashion-MNIST). */
  size?: number;
  /** Side of each tile after upscaling (96 in the article). */
  tile?: number;
  cols?: number;
  rows?: number;
  /**
   * Label font size in px; 16 px bold DejaVu Sans is about as large as cv2's FONT_HERSHEY_SIMPLEX at
   * scale 0.75, thickness 2.
   */
  fontPx?: number;
}

/** Top-left corner of tile `index`: tiles fill rows left to right, then top to bottom, as build_montages does. */
export function tileOrigin(index: number, cols: number, tile: number): { x: number; y: number } {
  return { x: (index % cols) * tile, y: Math.floor(index / cols) * tile };
}

/**
 * `images`: n×size×size grey bytes; `predicted[i]`: the label to print on image i; `correct[i]`: whether that
 * prediction was right. Unused tiles stay black, like build_montages pads a short list.
 */
export async function montage(
  images: Uint8Array,
  predicted: readonly string[],
  correct: readonly boolean[],
  opts: MontageOptions = {},
): Promise<Drawing> {
  const { size = IMAGE_SIZE, tile = 96, cols = 4, rows = 4, fontPx = 16 } = opts;
  const count = imageCount(images, size);
  if (predicted.length !== count || correct.length !== count) {
    throw new RangeError(
      `montage: ${count} images but ${predicted.length} labels and ${correct.length} flags`,
    );
  }
  if (count > cols * rows)
    throw new RangeError(`montage: ${count} images do not fit in ${cols}×${rows} tiles`);

  const upscaled = await resizeBilinearGrey(images, size, tile);
  const { canvas, ctx } = newCanvas(cols * tile, rows * tile, "#000000");
  const pixels = tile * tile;
  for (let i = 0; i < count; i++) {
    // Grey → 3 channels (cv2.merge([image] * 3)); resizing before or after merging gives the same pixels.
    const rgba = new Uint8ClampedArray(pixels * 4);
    for (let p = 0; p < pixels; p++) {
      const v = upscaled[i * pixels + p];
      rgba.set([v, v, v, 255], p * 4);
    }
    const { x, y } = tileOrigin(i, cols, tile);
    ctx.putImageData(createImageData(rgba, tile, tile), x, y);

    ctx.save();
    // Each tile is a separate image in the article, so a long label is cut at the tile edge.
    ctx.beginPath();
    ctx.rect(x, y, tile, tile);
    ctx.clip();
    ctx.font = font(fontPx, true);
    ctx.fillStyle = css(correct[i] ? CORRECT_COLOR : WRONG_COLOR);
    ctx.textBaseline = "alphabetic"; // cv2.putText's origin is the left end of the baseline
    ctx.fillText(predicted[i], x + 5, y + 20);
    ctx.restore();
  }
  return finish(canvas);
}
