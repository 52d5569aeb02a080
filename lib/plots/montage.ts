/**
 * The article's prediction montage: 16 test images, each turned into a 3-channel image, upscaled from
 * 28×28 to 96×96 with bilinear interpolation, the predicted label written at (5, 20) in green when
 * correct and red when wrong, laid out 4×4 (imutils.build_montages) into one 384×384 picture. Unlike the
 * article, a label is made smaller until it fits its tile, and a wrong tile also says the true class.
 */
import { createImageData } from "canvas";
import type { CanvasRenderingContext2D } from "canvas";
import { initBackend, tf } from "../backend";
import { IMAGE_SIZE } from "../data";
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
  /** The true label of each image: written under the prediction on the tiles where it is wrong. */
  truth?: readonly string[];
}

const MIN_FONT_PX = 9;

/** The largest bold font size up to `px` at which `text` fits in `width` pixels. */
function fittingFont(
  ctx: CanvasRenderingContext2D,
  text: string,
  px: number,
  width: number,
): string {
  for (let size = px; size > MIN_FONT_PX; size--) {
    ctx.font = font(size, true);
    if (ctx.measureText(text).width <= width) return ctx.font;
  }
  return font(MIN_FONT_PX, true);
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
  const { size = IMAGE_SIZE, tile = 96, cols = 4, rows = 4, fontPx = 16, truth } = opts;
  const count = imageCount(images, size);
  if (predicted.length !== count || correct.length !== count || (truth && truth.length !== count)) {
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
    // Each tile is a separate image: nothing may spill into the next one.
    ctx.beginPath();
    ctx.rect(x, y, tile, tile);
    ctx.clip();
    ctx.font = fittingFont(ctx, predicted[i], fontPx, tile - 10);
    ctx.fillStyle = css(correct[i] ? CORRECT_COLOR : WRONG_COLOR);
    ctx.textBaseline = "alphabetic"; // cv2.putText's origin is the left end of the baseline
    ctx.fillText(predicted[i], x + 5, y + 20);
    if (truth && !correct[i]) {
      const line = `(${truth[i]})`;
      ctx.font = fittingFont(ctx, line, Math.round(fontPx * 0.8), tile - 10);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#000000";
      ctx.strokeText(line, x + 5, y + 36);
      ctx.fillStyle = "#ffffff";
      ctx.fillText(line, x + 5, y + 36);
    }
    ctx.restore();
  }
  return finish(canvas);
}
