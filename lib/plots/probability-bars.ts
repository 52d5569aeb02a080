/** TensorFlow's clothing-tutorial probability bars for one prediction (notebooks 2 and 5). */
import { IMAGE_SIZE } from "../data";
import { css, drawText, finish, font, greyImageData, linear, newCanvas } from "./paint";
import type { Colormap, Drawing, Panel, Rgb } from "./paint";
import { percent } from "../percent";

// The tutorial's plot_value_array colours: grey bars, predicted label red, true label blue (blue wins when equal).
export const BAR_COLOR: Rgb = [0x77, 0x77, 0x77];
export const PREDICTED_COLOR: Rgb = [255, 0, 0];
export const TRUE_COLOR: Rgb = [0, 0, 255];

export interface ProbabilityBarsOptions {
  /** The 28×28 grey image to show on the left, as the tutorial's plot_image does. */
  image?: Uint8Array;
  imageSize?: number;
  colormap?: Colormap;
  height?: number;
  barsWidth?: number;
}

/**
 * TensorFlow's "Basic classification" pair of plots for one test image: the image with
 * "<predicted> <confidence>% (<true>)" under it (blue when right, red when wrong), and the 10 class
 * probabilities as bars on a 0–1 scale with the class names under them (the tutorial numbers them 0–9).
 * Without an image the caption is drawn above the bars.
 * Returns the drawing and, per class, the bar's rectangle.
 */
export function probabilityBars(
  probs: readonly number[],
  classNames: readonly string[],
  trueIndex: number,
  predIndex: number,
  opts: ProbabilityBarsOptions = {},
): Drawing & { bars: Panel[] } {
  const {
    image,
    imageSize = IMAGE_SIZE,
    colormap = "binary",
    height = 240,
    barsWidth = 250,
  } = opts;
  const captionHeight = 22;
  const imageSide = image ? Math.floor((height - captionHeight - 10) / imageSize) * imageSize : 0;
  const imageBlock = image ? imageSide + 20 : 0;
  const width = imageBlock + barsWidth;
  const { canvas, ctx } = newCanvas(width, height);

  const right = predIndex === trueIndex;
  const caption = `${classNames[predIndex]} ${percent(probs[predIndex])} (${classNames[trueIndex]})`;
  const captionColor = css(right ? TRUE_COLOR : PREDICTED_COLOR);
  if (image) {
    const scale = imageSide / imageSize;
    ctx.putImageData(greyImageData(image, 0, imageSize, scale, colormap), 10, 5);
    ctx.strokeStyle = "#000000";
    ctx.strokeRect(9.5, 4.5, imageSide + 1, imageSide + 1);
    drawText(ctx, caption, 10 + imageSide / 2, 5 + imageSide + 6, {
      font: font(12),
      color: captionColor,
      align: "center",
      baseline: "top",
    });
  }

  // Room for the probability scale (0–1) on the left and the slanted class names below.
  const panel: Panel = {
    left: imageBlock + 34,
    top: image ? 5 : captionHeight,
    width: barsWidth - 44,
    height: 0,
  };
  panel.height = height - panel.top - 64;
  if (!image)
    drawText(ctx, caption, panel.left + panel.width / 2, 4, {
      font: font(12),
      color: captionColor,
      align: "center",
      baseline: "top",
    });
  const slot = panel.width / probs.length;
  const y = linear([0, 1], [panel.top + panel.height, panel.top]);
  const bars = probs.map((p, i): Panel => {
    const top = y(Math.min(1, Math.max(0, p)));
    return {
      left: panel.left + slot * (i + 0.1),
      top,
      width: slot * 0.8,
      height: panel.top + panel.height - top,
    };
  });
  bars.forEach((bar, i) => {
    ctx.fillStyle = css(
      i === trueIndex ? TRUE_COLOR : i === predIndex ? PREDICTED_COLOR : BAR_COLOR,
    );
    ctx.fillRect(bar.left, bar.top, bar.width, bar.height);
    drawText(ctx, classNames[i], panel.left + slot * (i + 0.5) + 3, panel.top + panel.height + 5, {
      font: font(10),
      color: "#000000",
      align: "right",
      baseline: "top",
      rotate: -Math.PI / 4,
    });
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    drawText(ctx, tick.toFixed(2), panel.left - 4, y(tick), {
      font: font(9),
      color: "#000000",
      align: "right",
      baseline: "middle",
    });
  }
  ctx.strokeStyle = "#000000";
  ctx.lineWidth = 1;
  ctx.strokeRect(panel.left + 0.5, panel.top + 0.5, panel.width - 1, panel.height);
  return { ...finish(canvas), bars };
}
