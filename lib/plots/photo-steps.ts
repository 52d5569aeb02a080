/**
 * A photo's preprocessing steps side by side (notebook 6), so the reader sees what the network is given.
 * Photographs compress well only as JPEG, so that is what the figure is (a PNG of one is several times
 * larger).
 */
import { createCanvas } from "canvas";
import type { Canvas } from "canvas";
import { IMAGE_SIZE } from "../data";
import type { PhotoResult } from "../photos";
import { drawText, font, newCanvas } from "./paint";

export interface StepsDrawingOptions {
  /** Height of each panel in px (default 110); the 28×28 result is enlarged with visible pixels. */
  panelHeight?: number;
}

/** All steps side by side with their names, on a mid-grey page so black and white panels both show their edges. */
export function drawPhotoSteps(
  result: PhotoResult,
  opts: StepsDrawingOptions = {},
): { canvas: Canvas; jpeg: Buffer } {
  const panel = opts.panelHeight ?? 110;
  const gap = 12;
  const labelHeight = 20;
  const widths = result.steps.map((step) =>
    Math.max(1, Math.round((step.width / step.height) * panel)),
  );
  const measure = newCanvas(1, 1).ctx;
  measure.font = font(12);
  // A narrow panel (a trouser) gets a slot as wide as its name, so neighbouring names do not overlap.
  const slots = result.steps.map((step, i) =>
    Math.max(widths[i], Math.ceil(measure.measureText(step.name).width)),
  );
  const { canvas, ctx } = newCanvas(
    slots.reduce((a, b) => a + b + gap, gap),
    panel + labelHeight + gap * 2,
    "#808080",
  );
  let x = gap;
  result.steps.forEach((step, i) => {
    const tile = createCanvas(step.width, step.height);
    const tileCtx = tile.getContext("2d");
    const data = tileCtx.createImageData(step.width, step.height);
    data.data.set(
      step.rgba ??
        Uint8ClampedArray.from({ length: step.pixels.length * 4 }, (_, j) =>
          j % 4 === 3 ? 255 : step.pixels[j >> 2],
        ),
    );
    tileCtx.putImageData(data, 0, 0);
    // The final 28×28 is what the network sees, so its real pixels stay visible instead of being smoothed.
    ctx.imageSmoothingEnabled = step.width > IMAGE_SIZE;
    ctx.drawImage(tile, x + (slots[i] - widths[i]) / 2, gap, widths[i], panel);
    drawText(ctx, step.name, x + slots[i] / 2, gap + panel + 4, {
      font: font(12),
      color: "#ffffff",
      align: "center",
      baseline: "top",
    });
    x += slots[i] + gap;
  });
  return { canvas, jpeg: canvas.toBuffer("image/jpeg", { quality: 0.9 }) };
}
