/**
 * The drawing pieces of the article's prediction montage, which notebook 5 puts together: an upscaled
 * 3-channel image as a tile (what OpenCV holds after `cv2.resize`), the predicted label written on it
 * (`cv2.putText` at (5, 20), green when correct and red when wrong), and the tiles laid out row by row
 * (`imutils.build_montages`). Unlike the article, a label is made smaller until it fits its tile, and a
 * wrong tile can also say the true class.
 */
import { createImageData } from "canvas";
import type { Canvas, CanvasRenderingContext2D } from "canvas";
import type { Tensor3D } from "@tensorflow/tfjs";
import { css, finish, font, newCanvas } from "./paint";
import type { Drawing, Rgb } from "./paint";

export const CORRECT_COLOR: Rgb = [0, 255, 0];
// The article passes (0, 0, 255) to OpenCV, which is BGR: red.
export const WRONG_COLOR: Rgb = [255, 0, 0];

/**
 * An [height, width, 3] image of values 0–255 as a canvas tile, each value rounded to a byte as OpenCV's
 * 8-bit images are (its fixed-point bilinear resize can differ from the float one by 1).
 */
export async function rgbTile(image: Tensor3D): Promise<Canvas> {
  const [height, width, channels] = image.shape;
  if (channels !== 3) throw new RangeError(`rgbTile: an image of 3 channels, not ${channels}`);
  const values = await image.data();
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(values[p * 3 + c]);
    rgba[p * 4 + 3] = 255;
  }
  const { canvas, ctx } = newCanvas(width, height, null);
  ctx.putImageData(createImageData(rgba, width, height), 0, 0);
  return canvas;
}

/**
 * 16 px bold DejaVu Sans is about as large as cv2's FONT_HERSHEY_SIMPLEX at scale 0.75, thickness 2; a
 * label is made smaller, down to this, until it fits.
 */
const LABEL_PX = 16;
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

/**
 * `cv2.putText(tile, label, (5, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.75, color, 2)`: the label's baseline
 * starts at (5, 20). With `truth`, the true class goes under it in white, outlined in black.
 */
export function putLabel(tile: Canvas, label: string, color: Rgb, truth?: string): void {
  const ctx = tile.getContext("2d");
  ctx.font = fittingFont(ctx, label, LABEL_PX, tile.width - 10);
  ctx.fillStyle = css(color);
  ctx.textBaseline = "alphabetic";
  ctx.fillText(label, 5, 20);
  if (truth === undefined) return;
  const line = `(${truth})`;
  ctx.font = fittingFont(ctx, line, Math.round(LABEL_PX * 0.8), tile.width - 10);
  ctx.lineWidth = 3;
  ctx.strokeStyle = "#000000";
  ctx.strokeText(line, 5, 36);
  ctx.fillStyle = "#ffffff";
  ctx.fillText(line, 5, 36);
}

/** Top-left corner of tile `index`: tiles fill rows left to right, then top to bottom, as build_montages does. */
export function tileOrigin(index: number, cols: number, tile: number): { x: number; y: number } {
  return { x: (index % cols) * tile, y: Math.floor(index / cols) * tile };
}

/**
 * `imutils.build_montages(tiles, (w, h), (cols, rows))[0]`: equal tiles laid out row by row on black;
 * places without a tile stay black, as build_montages pads a short list.
 */
export function buildMontage(tiles: readonly Canvas[], cols: number, rows: number): Drawing {
  if (tiles.length === 0) throw new RangeError("buildMontage: no tiles");
  if (tiles.length > cols * rows)
    throw new RangeError(`buildMontage: ${tiles.length} tiles do not fit in ${cols}×${rows}`);
  const { width, height } = tiles[0];
  if (tiles.some((t) => t.width !== width || t.height !== height))
    throw new RangeError("buildMontage: the tiles differ in size");
  const { canvas, ctx } = newCanvas(cols * width, rows * height, "#000000");
  tiles.forEach((tile, i) => {
    const { x, y } = tileOrigin(i, cols, width);
    ctx.drawImage(tile, x, y);
  });
  return finish(canvas);
}
