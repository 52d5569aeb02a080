/**
 * Confusion-matrix heatmap (rows: true class, columns: predicted class), styled like scikit-learn's
 * ConfusionMatrixDisplay: "Blues" colour map with its colour bar, counts in the cells, x labels slanted so
 * long names fit.
 */
import { css, drawText, finish, font, newCanvas, niceTicks, tickLabel } from "./paint";
import type { Drawing, Rgb } from "./paint";

// matplotlib's "Blues" (ColorBrewer), from 0 to the largest value.
const BLUES: readonly Rgb[] = [
  [0xf7, 0xfb, 0xff],
  [0xde, 0xeb, 0xf7],
  [0xc6, 0xdb, 0xef],
  [0x9e, 0xca, 0xe1],
  [0x6b, 0xae, 0xd6],
  [0x42, 0x92, 0xc6],
  [0x21, 0x71, 0xb5],
  [0x08, 0x51, 0x9c],
  [0x08, 0x30, 0x6b],
];

/** Colour for t in [0, 1] along the Blues map. */
export function blues(t: number): Rgb {
  const pos = Math.min(1, Math.max(0, t)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(pos));
  const f = pos - i;
  const mix = (c: 0 | 1 | 2): number =>
    Math.round(BLUES[i][c] + (BLUES[i + 1][c] - BLUES[i][c]) * f);
  return [mix(0), mix(1), mix(2)];
}

export interface HeatmapOptions {
  cell?: number;
  title?: string;
}

export interface HeatmapLayout {
  /** Top-left corner of cell (row 0, column 0); cell (r, c) is at left + c·cell, top + r·cell. */
  left: number;
  top: number;
  cell: number;
}

export function heatmap(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
  opts: HeatmapOptions = {},
): Drawing & HeatmapLayout {
  const n = classNames.length;
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    throw new RangeError(`heatmap: expected a ${n}×${n} matrix for ${n} class names`);
  }
  const { cell = 48, title } = opts;
  const labelFont = font(12);
  const measure = newCanvas(1, 1, null).ctx;
  measure.font = labelFont;
  const longest = Math.max(0, ...classNames.map((name) => measure.measureText(name).width));

  // Room for the rotated "True" title and the row names; below the grid for the slanted column names (which
  // reach left into the row-name margin) and "Predicted".
  const left = 30 + longest + 10;
  const top = title ? 40 : 15;
  const slant = Math.SQRT1_2;
  const bottomRoom = 8 + longest * slant + 12 + 30;
  const bar = { gap: 16, width: 16, labels: 48 };
  const width = left + n * cell + bar.gap + bar.width + bar.labels;
  const height = top + n * cell + bottomRoom;
  const { canvas, ctx } = newCanvas(Math.ceil(width), Math.ceil(height));

  const values = matrix.flat();
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  // scikit-learn switches the text to white above the middle of the colour range.
  const threshold = (lo + hi) / 2;
  const integers = values.every(Number.isInteger);
  matrix.forEach((row, r) =>
    row.forEach((v, c) => {
      const t = hi === lo ? 0 : (v - lo) / (hi - lo);
      const x = left + c * cell;
      const y = top + r * cell;
      ctx.fillStyle = css(blues(t));
      ctx.fillRect(x, y, cell, cell);
      const text = integers ? String(v) : v.toFixed(2);
      const px = Math.min(13, Math.floor((cell * 1.6) / Math.max(3, text.length)));
      drawText(ctx, text, x + cell / 2, y + cell / 2, {
        font: font(px),
        color: v > threshold ? "#ffffff" : "#000000",
        align: "center",
        baseline: "middle",
      });
    }),
  );
  ctx.strokeStyle = "#000000";
  ctx.lineWidth = 1;
  ctx.strokeRect(left - 0.5, top - 0.5, n * cell + 1, n * cell + 1);

  const gridBottom = top + n * cell;
  classNames.forEach((name, i) => {
    const centre = i * cell + cell / 2;
    drawText(ctx, name, left - 6, top + centre, {
      font: labelFont,
      color: "#000000",
      align: "right",
      baseline: "middle",
    });
    // Like matplotlib's rotation=45, ha="right": the name ends at its column and rises to the right.
    drawText(ctx, name, left + centre, gridBottom + 8, {
      font: labelFont,
      color: "#000000",
      align: "right",
      baseline: "middle",
      rotate: -Math.PI / 4,
    });
  });
  drawText(ctx, "Predicted", left + (n * cell) / 2, height - 12, {
    font: font(14),
    color: "#000000",
    align: "center",
  });
  drawText(ctx, "True", 14, top + (n * cell) / 2, {
    font: font(14),
    color: "#000000",
    align: "center",
    baseline: "middle",
    rotate: -Math.PI / 2,
  });
  colourBar(
    ctx,
    { left: left + n * cell + bar.gap, top, width: bar.width, height: n * cell },
    lo,
    hi,
  );
  if (title)
    drawText(ctx, title, left + (n * cell) / 2, 26, {
      font: font(15),
      color: "#000000",
      align: "center",
    });
  return { ...finish(canvas), left, top, cell };
}

/** matplotlib's colorbar beside the grid: the Blues map from `lo` (bottom) to `hi` (top), with ticks. */
function colourBar(
  ctx: ReturnType<typeof newCanvas>["ctx"],
  box: { left: number; top: number; width: number; height: number },
  lo: number,
  hi: number,
): void {
  for (let py = 0; py < box.height; py++) {
    ctx.fillStyle = css(blues(1 - py / Math.max(1, box.height - 1)));
    ctx.fillRect(box.left, box.top + py, box.width, 1);
  }
  ctx.strokeStyle = "#000000";
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left - 0.5, box.top - 0.5, box.width + 1, box.height + 1);
  if (hi === lo) return;
  const ticks = niceTicks(lo, hi, 6).filter((t) => t >= lo && t <= hi);
  for (const t of ticks) {
    const y = Math.round(box.top + box.height - ((t - lo) / (hi - lo)) * box.height) + 0.5;
    ctx.beginPath();
    ctx.moveTo(box.left + box.width, y);
    ctx.lineTo(box.left + box.width + 4, y);
    ctx.stroke();
    drawText(ctx, tickLabel(t, ticks), box.left + box.width + 7, y, {
      font: font(11),
      color: "#000000",
      baseline: "middle",
    });
  }
}
