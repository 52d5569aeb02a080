import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { Tensor3D } from "@tensorflow/tfjs";
import type { Canvas } from "canvas";
import {
  CORRECT_COLOR,
  WRONG_COLOR,
  heatmap,
  imageGrid,
  lineFigureBundle,
  lineFigureDrawing,
  trainingFigure,
  buildMontage,
  putLabel,
  rgbTile,
  plotlyFigure,
  probabilityBars,
} from "../../lib/plots";
import { BAR_COLOR, PREDICTED_COLOR, TRUE_COLOR } from "../../lib/plots/probability-bars";
import { blues } from "../../lib/plots/heatmap";
import { tileOrigin } from "../../lib/plots/montage";
import { trainingSeries } from "../../lib/plots/training-chart";
import type { Rgb } from "../../lib/plots/paint";
import { initBackend, tf } from "../../lib/backend";

const FIXTURE = path.join(__dirname, "fixtures", "resize-bilinear");
const PIXELS = 28 * 28;

function pixel(canvas: Canvas, x: number, y: number): Rgb {
  const [r, g, b] = canvas.getContext("2d").getImageData(x, y, 1, 1).data;
  return [r, g, b];
}

/** All pixels of a rectangle, as [x, y, rgb]. */
function pixelsIn(
  canvas: Canvas,
  x0: number,
  y0: number,
  w: number,
  h: number,
): Array<[number, number, Rgb]> {
  const data = canvas.getContext("2d").getImageData(x0, y0, w, h).data;
  const out: Array<[number, number, Rgb]> = [];
  for (let i = 0; i < w * h; i++)
    out.push([
      x0 + (i % w),
      y0 + Math.floor(i / w),
      [data[i * 4], data[i * 4 + 1], data[i * 4 + 2]],
    ]);
  return out;
}

function countColor(canvas: Canvas, color: Rgb): number {
  return pixelsIn(canvas, 0, 0, canvas.width, canvas.height).filter(([, , c]) =>
    c.every((v, i) => v === color[i]),
  ).length;
}

function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** `count` synthetic 28×28 images, image i uniformly filled with value(i). */
function uniformImages(count: number, value: (i: number) => number): Uint8Array {
  const images = new Uint8Array(count * PIXELS);
  for (let i = 0; i < count; i++) images.fill(value(i), i * PIXELS, (i + 1) * PIXELS);
  return images;
}

/** Antialiased text: the pixels where the glyphs are (nearly) solid. */
const isGreen = ([r, g, b]: Rgb) => g > 180 && r < 80 && b < 80;
const isRed = ([r, g, b]: Rgb) => r > 180 && g < 80 && b < 80;
const isGrey = ([r, g, b]: Rgb) => r === g && g === b;

before(async () => {
  await initBackend();
});

/** The resize notebook 5 uses: cv2.resize's INTER_LINEAR pixel grid (half-pixel centres). */
function resizeLikeOpenCv(images: Uint8Array, size: number): Uint8Array {
  const count = images.length / PIXELS;
  return tf.tidy(() => {
    const batch = tf.tensor4d(images, [count, 28, 28, 1], "int32");
    const resized = tf.image.resizeBilinear(batch, [size, size], false, true);
    return Uint8Array.from(resized.dataSync(), (v) => Math.min(255, Math.max(0, Math.round(v))));
  });
}

/** Notebook 5's montage, step by step, from the plots' pieces. */
async function articleMontage(
  images: Uint8Array,
  labels: string[],
  correct: boolean[],
  truth?: string[],
) {
  const tiles: Canvas[] = [];
  for (let i = 0; i < labels.length; i++) {
    const image = tf.tidy(() => {
      const grey = tf.tensor3d(images.subarray(i * PIXELS, (i + 1) * PIXELS), [28, 28, 1], "int32");
      return tf.image.resizeBilinear(tf.concat([grey, grey, grey], 2), [96, 96], false, true);
    });
    const tile = await rgbTile(image);
    image.dispose();
    const color = correct[i] ? CORRECT_COLOR : WRONG_COLOR;
    putLabel(tile, labels[i], color, correct[i] ? undefined : truth?.[i]);
    tiles.push(tile);
  }
  return buildMontage(tiles, 4, 4);
}

describe("the montage's resize", () => {
  const input = new Uint8Array(fs.readFileSync(path.join(FIXTURE, "input.u8")));
  const expected = new Uint8Array(fs.readFileSync(path.join(FIXTURE, "expected.u8")));

  it("matches OpenCV's INTER_LINEAR 28→96 to within its fixed-point rounding", async () => {
    const got = resizeLikeOpenCv(input, 96);
    assert.equal(got.length, expected.length);
    let exact = 0;
    for (let i = 0; i < got.length; i++) {
      assert.ok(
        Math.abs(got[i] - expected[i]) <= 1,
        `pixel ${i}: ${got[i]} vs OpenCV ${expected[i]}`,
      );
      if (got[i] === expected[i]) exact++;
    }
    assert.ok(exact / got.length > 0.9, `only ${exact} of ${got.length} pixels identical`);
  });

  it("the fixture tells the pixel grids apart: TF's default (no half-pixel centres) is far off", async () => {
    const legacy = tf.tidy(() =>
      tf.image.resizeBilinear(
        tf.tensor4d(Float32Array.from(input), [input.length / PIXELS, 28, 28, 1]),
        [96, 96],
      ),
    );
    const values = await legacy.data();
    legacy.dispose();
    const worst = Math.max(...Array.from(values, (v, i) => Math.abs(Math.round(v) - expected[i])));
    assert.ok(worst > 50, `max difference only ${worst}`);
  });
});

describe("montage", () => {
  // Labels without descenders, so every glyph pixel lies above the baseline at y = 20.
  const count = 16;
  const grey = (i: number) => 10 + i * 12;
  const correct = Array.from({ length: count }, (_, i) => i % 3 !== 1);
  const labels = correct.map((ok) => (ok ? "OK" : "BAD"));
  let canvas: Canvas;
  let png: Buffer;

  before(async () => {
    ({ canvas, png } = await articleMontage(uniformImages(count, grey), labels, correct));
  });

  it("is a 384×384 PNG of 4×4 tiles of 96×96, filled row by row", () => {
    assert.deepEqual(pngSize(png), { width: 384, height: 384 });
    assert.deepEqual([canvas.width, canvas.height], [384, 384]);
    assert.deepEqual(tileOrigin(5, 4, 96), { x: 96, y: 96 });
    for (let i = 0; i < count; i++) {
      const { x, y } = tileOrigin(i, 4, 96);
      // Away from the label, a uniform image stays uniform after resizing and merging to 3 channels.
      for (const [dx, dy] of [
        [2, 40],
        [50, 50],
        [95, 95],
        [90, 30],
      ]) {
        assert.deepEqual(
          pixel(canvas, x + dx, y + dy),
          [grey(i), grey(i), grey(i)],
          `tile ${i} at +${dx},+${dy}`,
        );
      }
    }
  });

  it("writes the predicted label at (5, 20) in green when correct and red when wrong", () => {
    for (let i = 0; i < count; i++) {
      const { x, y } = tileOrigin(i, 4, 96);
      const tile = pixelsIn(canvas, x, y, 96, 96);
      const text = tile.filter(([, , c]) => !isGrey(c));
      assert.ok(
        text.filter(([, , c]) => (correct[i] ? isGreen(c) : isRed(c))).length > 30,
        `tile ${i}: label colour`,
      );
      assert.equal(
        text.filter(([, , c]) => (correct[i] ? isRed(c) : isGreen(c))).length,
        0,
        `tile ${i}: wrong colour present`,
      );
      for (const [px, py] of text) {
        assert.ok(
          px >= x + 5 && py <= y + 20 && py >= y + 5,
          `tile ${i}: text pixel at +${px - x},+${py - y}`,
        );
      }
    }
  });

  it("uses pure green and red", () => {
    assert.deepEqual(CORRECT_COLOR, [0, 255, 0]);
    assert.deepEqual(WRONG_COLOR, [255, 0, 0]);
    assert.ok(countColor(canvas, CORRECT_COLOR) > 0 && countColor(canvas, WRONG_COLOR) > 0);
  });

  it("shrinks long labels to fit their tile and leaves unused tiles black", async () => {
    const { canvas: short } = await articleMontage(
      uniformImages(2, () => 0),
      ["ankle boot", "x"],
      [true, false],
    );
    const label = pixelsIn(short, 0, 0, 96, 96).filter(([, , c]) => isGreen(c));
    assert.ok(label.length > 30, "the label is drawn");
    assert.ok(Math.max(...label.map(([px]) => px)) <= 96 - 4, "the label ends inside its tile");
    assert.deepEqual(pixel(short, 300, 300), [0, 0, 0]);
  });

  it("writes the true class under a wrong prediction, in white, and nothing under a right one", async () => {
    const { canvas: two } = await articleMontage(
      uniformImages(2, () => 0),
      ["sandal", "bag"],
      [false, true],
      ["sneaker", "bag"],
    );
    const white = (x0: number) =>
      pixelsIn(two, x0, 22, 96, 20).filter(([, , c]) => c.every((v) => v > 200));
    assert.ok(white(0).length > 20, "the wrong tile names the true class");
    assert.equal(white(96).length, 0, "the right tile has no second line");
  });

  it("checks its inputs", async () => {
    const [big, small, grey] = [
      tf.zeros([96, 96, 3]),
      tf.zeros([28, 28, 3]),
      tf.zeros([96, 96, 1]),
    ] as Tensor3D[];
    try {
      const tile = await rgbTile(big);
      assert.throws(() => buildMontage(Array(17).fill(tile), 4, 4), RangeError);
      assert.throws(() => buildMontage([], 4, 4), RangeError);
      const smallTile = await rgbTile(small);
      assert.throws(() => buildMontage([tile, smallTile], 4, 4), /differ in size/);
      await assert.rejects(rgbTile(grey), RangeError);
    } finally {
      tf.dispose([big, small, grey]);
    }
  });
});

describe("imageGrid", () => {
  const count = 7;
  const value = (i: number) => 30 * i;
  const grid = imageGrid(
    uniformImages(count, value),
    Array.from({ length: count }, (_, i) => `Class ${i}`),
    { cols: 3, scale: 2 },
  );

  it("lays out ceil(n / cols) rows with a label strip under each image", () => {
    assert.equal(grid.cols, 3);
    assert.equal(grid.rows, 3);
    assert.equal(grid.side, 56);
    assert.deepEqual(pngSize(grid.png), { width: grid.canvas.width, height: grid.canvas.height });
    assert.equal(grid.canvas.width, 2 * grid.margin + 3 * grid.pitchX - (grid.pitchX - grid.side));
  });

  it("shows each image with the binary colour map and its label below", () => {
    for (let i = 0; i < count; i++) {
      const x = grid.margin + (i % 3) * grid.pitchX;
      const y = grid.margin + Math.floor(i / 3) * grid.pitchY;
      const v = 255 - value(i);
      assert.deepEqual(
        pixel(grid.canvas, x + grid.side / 2, y + grid.side / 2),
        [v, v, v],
        `image ${i}`,
      );
      const ink = pixelsIn(grid.canvas, x, y + grid.side + 2, grid.side, 16).filter(
        ([, , [r]]) => r < 100,
      );
      assert.ok(ink.length > 20, `label ${i}`);
    }
    // The cell after the last image stays blank.
    assert.deepEqual(
      pixel(grid.canvas, grid.margin + grid.pitchX + 20, grid.margin + 2 * grid.pitchY + 20),
      [255, 255, 255],
    );
  });

  it("the gray colour map keeps 0 black", () => {
    const g = imageGrid(
      uniformImages(1, () => 0),
      ["x"],
      { colormap: "gray" },
    );
    assert.deepEqual(pixel(g.canvas, g.margin + 5, g.margin + 5), [0, 0, 0]);
  });
});

/** The ggplot colours of the article's four curves, in its order. */
const CURVE_COLORS: Rgb[] = [
  [0xe2, 0x4a, 0x33],
  [0x34, 0x8a, 0xbd],
  [0x98, 0x8e, 0xd5],
  [0x77, 0x77, 0x77],
];

describe("the training plot (lineFigure…, plotlyFigure)", () => {
  const epochs = 12;
  const history = {
    loss: Array.from({ length: epochs }, (_, e) => 1 / (e + 1)),
    val_loss: Array.from({ length: epochs }, (_, e) => 0.8 / (e + 1) + 0.1),
    acc: Array.from({ length: epochs }, (_, e) => 0.95 - 0.4 / (e + 1)),
    val_acc: Array.from({ length: epochs }, (_, e) => 0.9 - 0.3 / (e + 1)),
  };

  it("draws the four curves in the ggplot colours on a grey panel with a white grid", () => {
    const chart = lineFigureDrawing(trainingFigure(history));
    // 480 for the chart, and one row of legend under it.
    assert.deepEqual(pngSize(chart.png), { width: 640, height: 480 + 26 });
    const series = trainingSeries(history);
    assert.deepEqual(
      series.map((s) => s.name),
      ["train_loss", "val_loss", "train_acc", "val_acc"],
    );
    series.forEach((s, i) =>
      assert.ok(countColor(chart.canvas, CURVE_COLORS[i]) > 100, `${s.name} curve`),
    );
    const { left, top, width, height } = chart.panel;
    const inPanel = pixelsIn(chart.canvas, left + 1, top + 1, width - 2, height - 2);
    const share = (c: Rgb) =>
      inPanel.filter(([, , p]) => p.every((v, i) => v === c[i])).length / inPanel.length;
    assert.ok(share([229, 229, 229]) > 0.5, "grey panel");
    assert.ok(share([255, 255, 255]) > 0.01, "white grid lines");
  });

  it("skips absent series and accepts Keras' 'accuracy' names", () => {
    const names = trainingSeries({ loss: [1, 0.5], accuracy: [0.5, 0.7] }).map((s) => s.name);
    assert.deepEqual(names, ["train_loss", "train_acc"]);
    const chart = lineFigureDrawing(trainingFigure({ loss: [1, 0.5] }));
    assert.equal(countColor(chart.canvas, CURVE_COLORS[1]), 0, "no val_loss curve");
    assert.throws(() => trainingSeries({ loss: [{}] }), TypeError);
  });

  it("counts epochs from 1, as the logs and tables do, and names the run in the title", () => {
    const bundle = lineFigureBundle(trainingFigure(history, "MiniVGGNet (article), quick profile"));
    const fig = bundle["application/vnd.plotly.v1+json"] as ReturnType<typeof plotlyFigure>;
    for (const trace of fig.data)
      assert.deepEqual(
        trace.x,
        Array.from({ length: epochs }, (_, i) => i + 1),
      );
    assert.equal(
      (fig.layout.title as { text: string }).text,
      "Training Loss and Accuracy on Dataset — MiniVGGNet (article), quick profile",
    );
    assert.match(
      String(bundle["text/plain"]),
      /quick profile: train_loss, val_loss, train_acc, val_acc$/,
    );
  });

  it("overlays the validation accuracy of several runs, one colour each", () => {
    const other = history.val_acc.map((v) => v - 0.05);
    const bundle = lineFigureBundle({
      title: "Validation accuracy",
      yLabel: "Accuracy",
      lines: [
        { name: "MiniVGGNet (article)", y: history.val_acc },
        { name: "DeeperVGG + augmentation", y: other },
      ],
      markers: true,
    });
    const fig = bundle["application/vnd.plotly.v1+json"] as ReturnType<typeof plotlyFigure>;
    assert.deepEqual(
      fig.data.map((d) => [d.name, (d.y as number[]).length, (d.x as number[])[0]]),
      [
        ["MiniVGGNet (article)", epochs, 1],
        ["DeeperVGG + augmentation", epochs, 1],
      ],
    );
    assert.equal(
      bundle["text/plain"],
      "Validation accuracy: MiniVGGNet (article), DeeperVGG + augmentation",
    );
    const png = bundle["image/png"] as Uint8Array;
    assert.deepEqual(pngSize(Buffer.from(png)), { width: 640, height: 480 + 26 });
  });

  it("gives every one of many runs its own look: seven colours, then dashes", () => {
    const lines = Array.from({ length: 9 }, (_, i) => ({
      name: `run ${i + 1}`,
      y: history.val_acc.map((v) => v - i * 0.01),
    }));
    const fig = lineFigureBundle({ title: "Validation accuracy", yLabel: "Accuracy", lines })[
      "application/vnd.plotly.v1+json"
    ] as ReturnType<typeof plotlyFigure>;
    const looks = fig.data.map((d) => JSON.stringify(d.line));
    assert.equal(new Set(looks).size, 9, looks.join("\n"));
  });

  it("puts the legend under the chart, where it covers no curve, and wraps a long title", () => {
    const title = "MiniVGGNet + augmentation + a rather long variant name, seed 13, full profile";
    const bundle = lineFigureBundle(trainingFigure(history, title));
    const fig = bundle["application/vnd.plotly.v1+json"] as ReturnType<typeof plotlyFigure>;
    assert.equal(
      (fig.layout.title as { text: string }).text,
      `Training Loss and Accuracy on Dataset<br>${title}`,
    );
    const chart = lineFigureDrawing(trainingFigure(history, title));
    const { top, height } = chart.panel;
    // The legend's black text lies wholly below the panel and its axis label.
    const black = pixelsIn(chart.canvas, 0, 0, 640, chart.canvas.height).filter(
      ([x, y, c]) => x > 64 && c.every((v) => v < 40) && y > top + height + 40,
    );
    assert.ok(black.length > 50, "legend text under the chart");
    assert.ok(top > 50, "two title lines above the panel");
  });

  it("gives Plotly the same curves, titles and legend position", () => {
    const fig = plotlyFigure(history);
    assert.deepEqual(
      fig.data.map((d) => d.name),
      ["train_loss", "val_loss", "train_acc", "val_acc"],
    );
    assert.deepEqual(fig.data[0].y, history.loss);
    assert.deepEqual(
      fig.data[0].x,
      Array.from({ length: epochs }, (_, i) => i + 1),
    );
    assert.deepEqual(fig.layout.title, { text: "Training Loss and Accuracy on Dataset" });
    assert.deepEqual(fig.layout.xaxis?.title, { text: "Epoch #" });
    assert.deepEqual(fig.layout.yaxis?.title, { text: "Loss/Accuracy" });
    assert.equal(fig.layout.legend?.yanchor, "top", "under the chart");
    assert.doesNotThrow(() => JSON.stringify(fig));
  });
});

describe("heatmap", () => {
  const names = ["A", "Bb", "Ccc long name"];
  const matrix = [
    [50, 0, 3],
    [2, 40, 0],
    [0, 7, 45],
  ];
  const map = heatmap(matrix, names);

  it("colours cells from white-ish (0) to dark blue (max) and writes the counts", () => {
    const corner = (r: number, c: number) =>
      pixel(map.canvas, map.left + c * map.cell + 3, map.top + r * map.cell + 3);
    assert.deepEqual(corner(0, 0), blues(1));
    assert.deepEqual(corner(0, 1), blues(0));
    assert.deepEqual(blues(0), [0xf7, 0xfb, 0xff]);
    // Dark cells get white digits, light cells black ones.
    const centre = (r: number, c: number) =>
      pixelsIn(
        map.canvas,
        map.left + c * map.cell + 10,
        map.top + r * map.cell + 10,
        map.cell - 20,
        map.cell - 20,
      );
    assert.ok(centre(0, 0).some(([, , [r, g, b]]) => r > 200 && g > 200 && b > 200));
    assert.ok(centre(0, 2).some(([, , [r, g, b]]) => r < 60 && g < 60 && b < 60));
    assert.deepEqual(pngSize(map.png), { width: map.canvas.width, height: map.canvas.height });
  });

  it("leaves room for the class names and axis titles", () => {
    assert.ok(map.left > 40);
    assert.ok(map.canvas.height > map.top + 3 * map.cell + 40);
    // Row names sit left of the grid: dark pixels in that margin.
    assert.ok(
      pixelsIn(map.canvas, 30, map.top, map.left - 32, 3 * map.cell).some(([, , [r]]) => r < 80),
    );
  });

  it("has a colour scale beside the grid, dark at the top (the largest count), light at the bottom", () => {
    const barLeft = map.left + 3 * map.cell + 16;
    const barTop = pixel(map.canvas, barLeft + 8, map.top + 2);
    const barBottom = pixel(map.canvas, barLeft + 8, map.top + 3 * map.cell - 2);
    assert.ok(barTop[0] < 40 && barTop[2] > 90, `top of the scale: ${barTop}`);
    assert.ok(
      barBottom.every((v) => v > 230),
      `bottom of the scale: ${barBottom}`,
    );
  });

  it("rejects a matrix that does not match the class names", () => {
    assert.throws(() => heatmap([[1, 2]], names), RangeError);
  });
});

describe("probabilityBars", () => {
  const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
  const probs = [0.05, 0.1, 0.5, 0.05, 0.2, 0.02, 0.03, 0.02, 0.02, 0.01];
  const centre = (
    d: {
      canvas: Canvas;
      bars: Array<{ left: number; top: number; width: number; height: number }>;
    },
    i: number,
  ) =>
    pixel(
      d.canvas,
      Math.round(d.bars[i].left + d.bars[i].width / 2),
      Math.round(d.bars[i].top + d.bars[i].height / 2),
    );

  it("wrong prediction: predicted bar red, true bar blue, the rest grey", () => {
    const d = probabilityBars(probs, names, 4, 2);
    assert.deepEqual(centre(d, 2), PREDICTED_COLOR);
    assert.deepEqual(centre(d, 4), TRUE_COLOR);
    assert.deepEqual(centre(d, 1), BAR_COLOR);
    assert.ok(
      d.bars[2].height > d.bars[4].height * 2.4 && d.bars[2].height < d.bars[4].height * 2.6,
      "heights follow the probabilities",
    );
  });

  it("right prediction: the bar is blue and there is no red", () => {
    const d = probabilityBars(probs, names, 2, 2);
    assert.deepEqual(centre(d, 2), TRUE_COLOR);
    assert.equal(countColor(d.canvas, PREDICTED_COLOR), 0);
  });

  it("names the classes under the bars and gives a probability scale on the left", () => {
    const inkBelow = (labels: readonly string[]) => {
      const d = probabilityBars(probs, labels, 4, 2);
      const bottom = Math.round(d.bars[0].top + d.bars[0].height) + 3;
      const below = pixelsIn(d.canvas, 0, bottom, d.canvas.width, d.canvas.height - bottom);
      return below.filter(([, , c]) => c.every((v) => v < 128)).length;
    };
    assert.ok(inkBelow(["Ankle boot", ...names.slice(1)]) > inkBelow(["A", ...names.slice(1)]));
    const d = probabilityBars(probs, names, 4, 2);
    const scale = pixelsIn(d.canvas, 0, 0, Math.floor(d.bars[0].left) - 4, d.canvas.height);
    assert.ok(
      scale.filter(([, , c]) => c.every((v) => v < 128)).length > 40,
      "tick labels 0.00–1.00",
    );
  });

  it("puts the image (binary colour map) on the left when given", () => {
    const without = probabilityBars(probs, names, 4, 2);
    const d = probabilityBars(probs, names, 4, 2, { image: uniformImages(1, () => 255) });
    assert.ok(d.canvas.width > without.canvas.width);
    assert.deepEqual(pixel(d.canvas, 40, 40), [0, 0, 0]);
    assert.ok(d.bars[0].left > 100);
    // Red caption under the image: "<pred> <pct>% (<true>)".
    assert.ok(
      pixelsIn(d.canvas, 0, d.canvas.height - 40, d.bars[0].left - 10, 40).some(([, , c]) =>
        isRed(c),
      ),
    );
  });
});
