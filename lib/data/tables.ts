/** Tables the dataset notebook shows: what was loaded, how the classes are balanced, what the network sees. */
import * as path from "path";
import { tf } from "../backend";
import { htmlTable } from "../html";
import { projectRelative } from "../paths";
import { classCounts, DEBIAN_DIR, FashionMnist, Split } from "./fashion-mnist";
import { IMAGE_SIZE } from "../shape";
import type { PreparedSplit } from "./tensors";

/** Shapes as NumPy prints them, e.g. (60000, 28, 28), to line up with the article. */
const shape = (dims: number[]) => `(${dims.join(", ")}${dims.length === 1 ? "," : ""})`;

/**
 * Where a split's two files came from, without this machine's absolute paths: the project's cache,
 * Debian's package, or the folder FASHION_MNIST_DIR names.
 */
function sourceOf(images: string, labels: string): string {
  const files = `${path.basename(images)}, ${path.basename(labels)}`;
  const dir = path.dirname(images);
  if (path.resolve(dir) === path.resolve(DEBIAN_DIR))
    return `Debian's dataset-fashion-mnist package: ${files}`;
  const relative = projectRelative(dir);
  return path.isAbsolute(relative) ? `FASHION_MNIST_DIR: ${files}` : `${relative}/: ${files}`;
}

export function datasetTable(data: FashionMnist): string {
  const row = (name: string, split: Split, images: string, labels: string) => [
    name,
    shape([split.count, IMAGE_SIZE, IMAGE_SIZE]),
    shape([split.count]),
    sourceOf(images, labels),
  ];
  return htmlTable(
    ["split", "images (uint8)", "labels (uint8)", "read from (SHA-256 verified)"],
    [
      row("train", data.train, data.sources.trainImages, data.sources.trainLabels),
      row("test", data.test, data.sources.testImages, data.sources.testLabels),
    ],
  );
}

export function classCountsTable(data: FashionMnist): string {
  const train = classCounts(data.train);
  const test = classCounts(data.test);
  const rows: (string | number)[][] = data.labelNames.map((name, label) => [
    label,
    name,
    train[label],
    test[label],
  ]);
  rows.push(["", "total", data.train.count, data.test.count]);
  return htmlTable(["label", "class", "train", "test"], rows, {
    numeric: [0, 2, 3],
    bold: [rows.length - 1],
  });
}

/**
 * The first example of each requested class with its one-hot row, read back from the prepared tensor; the
 * example is numbered from 1, as a reader counts the images of a grid.
 */
export async function oneHotTable(
  split: Split,
  prepared: PreparedSplit,
  labelNames: readonly string[],
  labels: number[],
): Promise<string> {
  const oneHot = await prepared.y.array();
  const rows = labels.map((label) => {
    const index = split.labels.indexOf(label);
    if (index < 0) throw new RangeError(`no example of class ${label} in this split`);
    return [labelNames[label], label, index + 1, `[${oneHot[index].join(", ")}]`];
  });
  return htmlTable(["class", "label", "training image #", "one-hot target"], rows, {
    numeric: [1, 2],
  });
}

/** Shape, type and value range of a prepared split, to check the scaling and layout at a glance. */
export async function tensorFactsTable(prepared: PreparedSplit): Promise<string> {
  const rows = [];
  for (const [name, t] of [
    ["x (images)", prepared.x],
    ["y (labels)", prepared.y],
  ] as const) {
    const extremes = [t.min(), t.max()];
    const [min, max] = await Promise.all(extremes.map(async (e) => (await e.data())[0]));
    tf.dispose(extremes);
    rows.push([name, shape(t.shape), t.dtype, min, max]);
  }
  return htmlTable(["tensor", "shape", "dtype", "min", "max"], rows, { numeric: [3, 4] });
}
