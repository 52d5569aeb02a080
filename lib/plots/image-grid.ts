/** The sample-image grid of notebook 1, like the 5×5 grid in TensorFlow's "Basic classification". */
import { IMAGE_SIZE } from "../data";
import { drawText, finish, fitFont, font, greyImageData, imageCount, newCanvas } from "./paint";
import type { Colormap, Drawing } from "./paint";

export interface ImageGridOptions {
  cols?: number;
  /** Integer enlargement of each image (nearest neighbour, so the real pixels stay visible). */
  scale?: number;
  /** Side of the source images (28 for Fashion-MNIST). */
  size?: number;
  /** Default "binary" (dark ink on white), as TensorFlow's tutorial shows Fashion-MNIST with cm.binary. */
  colormap?: Colormap;
}

export interface GridLayout {
  cols: number;
  rows: number;
  /** Distance between the left (top) edges of neighbouring images. */
  pitchX: number;
  pitchY: number;
  /** Top-left corner of image 0; image i is at margin + (i % cols)·pitchX, margin + ⌊i / cols⌋·pitchY. */
  margin: number;
  side: number;
}

/** Sample images with their label under each, like the 5×5 grid in TensorFlow's "Basic classification". */
export function imageGrid(
  images: Uint8Array,
  labels: readonly string[],
  opts: ImageGridOptions = {},
): Drawing & GridLayout {
  const { cols: wanted = 5, scale = 3, size = IMAGE_SIZE, colormap = "binary" } = opts;
  const count = imageCount(images, size);
  if (labels.length !== count)
    throw new RangeError(`imageGrid: ${count} images but ${labels.length} labels`);
  const cols = Math.max(1, Math.min(wanted, count));
  const rows = Math.ceil(count / cols);
  const side = size * scale;
  const labelHeight = 18;
  const gap = 12;
  const margin = 10;
  const pitchX = side + gap;
  const pitchY = side + labelHeight + gap;
  const { canvas, ctx } = newCanvas(
    margin * 2 + cols * pitchX - gap,
    margin * 2 + rows * pitchY - gap,
  );

  for (let i = 0; i < count; i++) {
    const x = margin + (i % cols) * pitchX;
    const y = margin + Math.floor(i / cols) * pitchY;
    ctx.putImageData(greyImageData(images, i * size * size, size, scale, colormap), x, y);
    ctx.strokeStyle = "#000000";
    ctx.lineWidth = 1;
    ctx.strokeRect(x - 0.5, y - 0.5, side + 1, side + 1);
    // Long names ("Ankle boot") shrink to the image width instead of running into the neighbour's label.
    const px = fitFont(ctx, labels[i], pitchX - 2, 12);
    drawText(ctx, labels[i], x + side / 2, y + side + 4, {
      font: font(px),
      color: "#000000",
      align: "center",
      baseline: "top",
    });
  }
  return { ...finish(canvas), cols, rows, pitchX, pitchY, margin, side };
}
