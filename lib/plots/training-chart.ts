/**
 * The article's training plot (matplotlib "ggplot" style), drawn with node-canvas as a static PNG, plus the
 * same figure for Plotly, and both together as one notebook output.
 */
import type { CanvasRenderingContext2D } from "canvas";
import type { Layout, Plot } from "nodeplotlib";
import type { MimeBundle } from "../mime";
import { css, drawText, finish, font, linear, niceTicks, newCanvas, tickLabel } from "./paint";
import type { Drawing, Panel, Rgb } from "./paint";

/**
 * `History.history` from tfjs `model.fit` (values may be typed `number | Tensor` there; after fit they are numbers).
 * TF.js names the accuracy metric `acc`; Keras 2.3+ names it `accuracy`; both are accepted.
 */
export type TrainingHistory = Readonly<Record<string, ReadonlyArray<unknown>>>;

export interface Series {
  name: string;
  values: number[];
  color: Rgb;
  /** Drawn dashed: a series past the colour cycle, so that no two look alike. */
  dashed?: boolean;
}

// matplotlib's ggplot style colour cycle (red, blue, purple, grey, yellow, green, pink); the article's four
// curves take the first four, in its order.
const GGPLOT_CYCLE: readonly Rgb[] = [
  [0xe2, 0x4a, 0x33],
  [0x34, 0x8a, 0xbd],
  [0x98, 0x8e, 0xd5],
  [0x77, 0x77, 0x77],
  [0xfb, 0xc1, 0x5e],
  [0x8e, 0xba, 0x42],
  [0xff, 0xb5, 0xb8],
];

const SERIES_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["train_loss", ["loss"]],
  ["val_loss", ["val_loss"]],
  ["train_acc", ["acc", "accuracy"]],
  ["val_acc", ["val_acc", "val_accuracy"]],
];

/** The article's four curves of a history, in its order; curves missing from `history` are skipped. */
export function trainingSeries(history: TrainingHistory): Array<{ name: string; y: number[] }> {
  return SERIES_KEYS.flatMap(([name, keys]) => {
    const key = keys.find((k) => history[k] !== undefined);
    if (key === undefined) return [];
    const y = history[key].map((v, epoch) => {
      if (typeof v !== "number")
        throw new TypeError(
          `history.${key}[${epoch}] is not a number (await model.fit before plotting)`,
        );
      return v;
    });
    return [{ name, y }];
  });
}

const TRAINING_TITLE = "Training Loss and Accuracy on Dataset";
const X_LABEL = "Epoch #";
const Y_LABEL = "Loss/Accuracy";

const GG_PANEL = "#e5e5e5";
const GG_TEXT = "#555555";

export interface ChartOptions {
  width?: number;
  height?: number;
}

function padded(min: number, max: number, fraction: number): [number, number] {
  if (max === min) return [min - 0.5, max + 0.5];
  const pad = (max - min) * fraction;
  return [min - pad, max + pad];
}

/**
 * A chart of named lines against the epoch, counted from 1 as in the training logs and tables (the
 * article's `np.arange(0, N)` starts at 0), in matplotlib's ggplot style: grey panel, white grid, its colour
 * cycle in the lines' order (dashed past it). The legend goes under the chart, where it covers no curve.
 */
export interface LineFigure {
  title: string;
  /** Default "Epoch #". */
  xLabel?: string;
  yLabel: string;
  lines: ReadonlyArray<{ name: string; y: readonly number[] }>;
  /** A dot on every value, for short series compared side by side. */
  markers?: boolean;
}

function seriesOf(figure: LineFigure): Series[] {
  return figure.lines.map(({ name, y }, i) => ({
    name,
    values: [...y],
    color: GGPLOT_CYCLE[i % GGPLOT_CYCLE.length],
    dashed: i >= GGPLOT_CYCLE.length,
  }));
}

/** The figure as a PNG, with the panel rectangle (handy for checking where the curves are). */
export function lineFigureDrawing(
  figure: LineFigure,
  size: ChartOptions = {},
): Drawing & { panel: Panel } {
  return seriesChart(seriesOf(figure), { ...size, ...figure });
}

/** The figure as one notebook output: interactive Plotly where the frontend renders it, PNG elsewhere. */
export function lineFigureBundle(figure: LineFigure): MimeBundle {
  return {
    [PLOTLY_MIME]: plotlyOf(figure),
    "image/png": lineFigureDrawing(figure).png,
    "text/plain": `${figure.title}: ${figure.lines.map((l) => l.name).join(", ")}`,
  };
}

const TITLE_PX = 15;
const LEGEND_ROW = 18;
const LEGEND_SAMPLE = 24;

/**
 * The title as at most two lines that fit `width`: split at its " — " when too long, then drawn smaller
 * until each line fits (a long run name is never cut).
 */
function titleLayout(title: string, width: number): { lines: string[]; px: number } {
  const ctx = newCanvas(1, 1, null).ctx;
  const widest = (lines: string[], px: number) => {
    ctx.font = font(px);
    return Math.max(...lines.map((l) => ctx.measureText(l).width));
  };
  const lines = widest([title], TITLE_PX) <= width ? [title] : title.split(" — ");
  let px = TITLE_PX;
  while (px > 9 && widest(lines, px) > width) px--;
  return { lines, px };
}

/** The legend under the chart: entries side by side, wrapped into rows; their rows and positions. */
function legendLayout(
  series: readonly Series[],
  width: number,
): { rows: number; at: Array<{ x: number; row: number }> } {
  const ctx = newCanvas(1, 1, null).ctx;
  ctx.font = font(11);
  let x = 0;
  let row = 0;
  const at = series.map((s) => {
    const w = LEGEND_SAMPLE + 6 + ctx.measureText(s.name).width + 18;
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    const place = { x, row };
    x += w;
    return place;
  });
  return { rows: series.length ? row + 1 : 0, at };
}

/**
 * Curves against the epoch (from 1) in the training plot's style; the y label is an option. The legend
 * sits under the chart, where it covers no curve; `height` is the chart's without it.
 */
function seriesChart(
  series: readonly Series[],
  opts: ChartOptions & { title: string; xLabel?: string; yLabel: string; markers?: boolean },
): Drawing & { panel: Panel } {
  const { width = 640, height = 480, title, xLabel = X_LABEL, yLabel } = opts;
  const epochs = Math.max(0, ...series.map((s) => s.values.length));
  const all = series.flatMap((s) => s.values);
  // matplotlib's default autoscale margin is 5% of the data range.
  const [xMin, xMax] = padded(1, Math.max(1, epochs), 0.05);
  const [yMin, yMax] = all.length ? padded(Math.min(...all), Math.max(...all), 0.05) : [0, 1];

  const heading = titleLayout(title, width - 20);
  const titleHeight = heading.lines.length * (heading.px + 5);
  const top = 18 + titleHeight;
  const panel: Panel = { left: 64, top, width: width - 64 - 20, height: height - top - 52 };
  const legendAt = legendLayout(series, panel.width);
  const legendHeight = legendAt.rows * LEGEND_ROW + (legendAt.rows ? 8 : 0);
  const bottom = panel.top + panel.height;
  const x = linear([xMin, xMax], [panel.left, panel.left + panel.width]);
  const y = linear([yMin, yMax], [bottom, panel.top]);

  const { canvas, ctx } = newCanvas(width, height + legendHeight);
  ctx.fillStyle = GG_PANEL;
  ctx.fillRect(panel.left, panel.top, panel.width, panel.height);

  const xTicks = niceTicks(xMin, xMax, 8, true);
  const yTicks = niceTicks(yMin, yMax, 6);
  const tickFont = font(11);
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 1;
  for (const t of xTicks) {
    const px = Math.round(x(t)) + 0.5;
    line(ctx, px, panel.top, px, bottom);
    tick(ctx, px, bottom, px, bottom + 4);
    drawText(ctx, tickLabel(t, xTicks), px, bottom + 7, {
      font: tickFont,
      color: GG_TEXT,
      align: "center",
      baseline: "top",
    });
  }
  for (const t of yTicks) {
    const py = Math.round(y(t)) + 0.5;
    line(ctx, panel.left, py, panel.left + panel.width, py);
    tick(ctx, panel.left - 4, py, panel.left, py);
    drawText(ctx, tickLabel(t, yTicks), panel.left - 7, py, {
      font: tickFont,
      color: GG_TEXT,
      align: "right",
      baseline: "middle",
    });
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(panel.left, panel.top, panel.width, panel.height);
  ctx.clip();
  ctx.lineWidth = 2;
  ctx.lineJoin = "round";
  for (const s of series) {
    ctx.strokeStyle = css(s.color);
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i + 1), y(v)) : ctx.lineTo(x(i + 1), y(v))));
    // A single epoch is a point, which a path of one vertex would not show.
    if (s.values.length === 1) ctx.lineTo(x(1) + 1, y(s.values[0]));
    ctx.stroke();
    if (opts.markers) {
      ctx.fillStyle = css(s.color);
      s.values.forEach((v, i) => {
        ctx.beginPath();
        ctx.arc(x(i + 1), y(v), 3.5, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }
  ctx.restore();

  const centreX = panel.left + panel.width / 2;
  heading.lines.forEach((text, i) =>
    drawText(ctx, text, width / 2, 18 + (i + 1) * (heading.px + 5) - 8, {
      font: font(heading.px),
      color: "#000000",
      align: "center",
    }),
  );
  drawText(ctx, xLabel, centreX, height - 10, { font: font(13), color: GG_TEXT, align: "center" });
  drawText(ctx, yLabel, 16, panel.top + panel.height / 2, {
    font: font(13),
    color: GG_TEXT,
    align: "center",
    baseline: "middle",
    rotate: -Math.PI / 2,
  });
  legend(ctx, series, legendAt.at, panel.left, height + 4);
  return { ...finish(canvas), panel };
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function tick(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.save();
  ctx.strokeStyle = GG_TEXT;
  line(ctx, x0, y0, x1, y1);
  ctx.restore();
}

/** The legend's entries, a line sample and the name each, from (`left`, `top`) in the layout given. */
function legend(
  ctx: CanvasRenderingContext2D,
  series: readonly Series[],
  at: ReadonlyArray<{ x: number; row: number }>,
  left: number,
  top: number,
): void {
  series.forEach((s, i) => {
    const x0 = left + at[i].x;
    const cy = top + LEGEND_ROW * at[i].row + LEGEND_ROW / 2;
    ctx.strokeStyle = css(s.color);
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    line(ctx, x0, cy, x0 + LEGEND_SAMPLE, cy);
    ctx.setLineDash([]);
    drawText(ctx, s.name, x0 + LEGEND_SAMPLE + 6, cy, {
      font: font(11),
      color: "#000000",
      baseline: "middle",
    });
  });
}

export interface PlotlyFigure {
  data: Plot[];
  layout: Layout;
}

/** The mime type of a Plotly figure, which JupyterLab's plotly extension renders interactively. */
const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** One series as a Plotly line trace, epochs counted from 1. */
function scatterTrace(s: Series, mode: "lines" | "lines+markers"): Plot {
  return {
    type: "scatter",
    mode,
    name: s.name,
    x: s.values.map((_, i) => i + 1),
    y: s.values,
    line: { color: css(s.color), width: 2, ...(s.dashed ? { dash: "dash" } : {}) },
  };
}

/** The figure for Plotly, as the `PLOTLY_MIME` mime type carries it. */
function plotlyOf(
  figure: LineFigure,
  { width = 640, height = 480 }: ChartOptions = {},
): PlotlyFigure {
  const axis = { gridcolor: "#ffffff", zeroline: false, tickfont: { color: GG_TEXT } };
  const mode = figure.markers ? "lines+markers" : "lines";
  return {
    data: seriesOf(figure).map((s) => scatterTrace(s, mode)),
    layout: {
      width,
      height,
      // Two lines where one would not fit, as in the PNG.
      title: { text: titleLayout(figure.title, width - 20).lines.join("<br>") },
      margin: { t: 90, b: 110 },
      font: { family: "DejaVu Sans, sans-serif" },
      paper_bgcolor: "#ffffff",
      plot_bgcolor: GG_PANEL,
      xaxis: { ...axis, title: { text: figure.xLabel ?? X_LABEL } },
      yaxis: { ...axis, title: { text: figure.yLabel } },
      // Under the chart, as in the PNG: a legend inside it would cover curves.
      legend: { orientation: "h", x: 0, y: -0.2, xanchor: "left", yanchor: "top" },
    },
  };
}

/**
 * The article's training plot of a history (its four curves, in its order), as notebook 4 draws it: for
 * the chart a training shows while it goes, and `npm run plot`. `title` names the run.
 */
export function trainingFigure(history: TrainingHistory, title?: string): LineFigure {
  return {
    title: title === undefined ? TRAINING_TITLE : `${TRAINING_TITLE} — ${title}`,
    yLabel: Y_LABEL,
    lines: trainingSeries(history),
  };
}

/** The training plot as a Plotly figure (`npm run plot` opens it with nodeplotlib). */
export function plotlyFigure(history: TrainingHistory): PlotlyFigure {
  return plotlyOf(trainingFigure(history));
}
