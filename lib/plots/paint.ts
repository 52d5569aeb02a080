/**
 * Canvas primitives shared by the pictures in this folder (montage, charts, grids): canvas creation, fonts,
 * grey-image blitting, tick computation. Everything renders to node-canvas, so notebooks need no browser
 * or CDN. (Not named canvas.ts: tslab resolves the files' `import … from "canvas"` to a file of that name
 * beside them before the package.)
 */
import { Canvas, CanvasRenderingContext2D, createCanvas, createImageData, ImageData } from "canvas";

/** Where a data area (a chart's panel, a bar) sits inside a canvas. */
export interface Panel {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A finished picture: the canvas (for reading pixels back or drawing more) and its PNG encoding. */
export interface Drawing {
  canvas: Canvas;
  png: Buffer;
}

export type Rgb = readonly [number, number, number];

/** Only DejaVu Sans is used: Debian ships it (fonts-dejavu-core), so output looks the same on every machine. */
const FONT_FAMILY = "DejaVu Sans";

export function font(px: number, bold = false): string {
  return `${bold ? "bold " : ""}${px}px "${FONT_FAMILY}"`;
}

export function css([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

export function newCanvas(
  width: number,
  height: number,
  background: string | null = "#ffffff",
): { canvas: Canvas; ctx: CanvasRenderingContext2D } {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  if (background !== null) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, width, height);
  }
  return { canvas, ctx };
}

export function finish(canvas: Canvas): Drawing {
  return { canvas, png: canvas.toBuffer("image/png") };
}

/**
 * "gray": 0 is black (the article's montage); "binary": 0 is white, like matplotlib's cm.binary in
 * TensorFlow's tutorials.
 */
export type Colormap = "gray" | "binary";

/**
 * RGBA pixels for one grey image, enlarged by an integer factor with nearest-neighbour sampling
 * (sample grids should show the real 28×28 pixels, not a smoothed version).
 */
export function greyImageData(
  pixels: Uint8Array,
  offset: number,
  size: number,
  scale: number,
  colormap: Colormap,
): ImageData {
  const side = size * scale;
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    const row = offset + Math.floor(y / scale) * size;
    for (let x = 0; x < side; x++) {
      const v = pixels[row + Math.floor(x / scale)];
      const grey = colormap === "binary" ? 255 - v : v;
      const i = (y * side + x) * 4;
      rgba[i] = rgba[i + 1] = rgba[i + 2] = grey;
      rgba[i + 3] = 255;
    }
  }
  return createImageData(rgba, side, side);
}

/** Number of `size`×`size` images in a packed buffer; throws when the buffer is not a whole number of them. */
export function imageCount(images: Uint8Array, size: number): number {
  const count = images.length / (size * size);
  if (!Number.isInteger(count))
    throw new RangeError(`expected n×${size}×${size} bytes, got ${images.length}`);
  return count;
}

/** Round 1-2-2.5-5 steps, as chart libraries choose them, covering [min, max] with about `target` ticks. */
export function niceTicks(min: number, max: number, target = 6, integer = false): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  // A small epsilon keeps ticks that sit on the domain edge despite floating-point error.
  const eps = step * 1e-9;
  for (let v = Math.ceil((min - eps) / step) * step; v <= max + eps; v += step) {
    ticks.push(Number(v.toFixed(10)));
  }
  return ticks;
}

export function tickLabel(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  // 2.5-steps need one more decimal than their magnitude suggests.
  const extra = ticks.some((t) => Number(t.toFixed(decimals)) !== t) ? 1 : 0;
  return value.toFixed(decimals + extra);
}

/** Linear map from data values to pixels. */
export function linear(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Largest font size (down to `minPx`) at which `text` fits in `maxWidth`; leaves `ctx.font` set to it. */
export function fitFont(
  ctx: CanvasRenderingContext2D,
  text: string,
  maxWidth: number,
  px: number,
  minPx = 7,
  bold = false,
): number {
  let size = px;
  ctx.font = font(size, bold);
  while (size > minPx && ctx.measureText(text).width > maxWidth) {
    size -= 1;
    ctx.font = font(size, bold);
  }
  return size;
}

export function drawText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  style: {
    font: string;
    color: string;
    align?: "left" | "center" | "right";
    baseline?: "top" | "middle" | "alphabetic" | "bottom";
    rotate?: number;
  },
): void {
  ctx.save();
  ctx.font = style.font;
  ctx.fillStyle = style.color;
  ctx.textAlign = style.align ?? "left";
  ctx.textBaseline = style.baseline ?? "alphabetic";
  ctx.translate(x, y);
  if (style.rotate) ctx.rotate(style.rotate);
  ctx.fillText(text, 0, 0);
  ctx.restore();
}
