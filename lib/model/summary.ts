/**
 * A Keras-style model summary as data — layer, type, output shape, parameters, and the trainable /
 * non-trainable split — so the notebook can show it as a table and a test can check the counts.
 * (tfjs' own `model.summary()` prints to the console and truncates long type names.)
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { htmlTable } from "../html";

interface LayerRow {
  name: string;
  type: string;
  outputShape: string;
  params: number;
}

export interface ModelSummary {
  layers: LayerRow[];
  total: number;
  trainable: number;
  nonTrainable: number;
}

const countOf = (weights: { shape: (number | null)[] }[]) =>
  weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

/**
 * Keras' names for a model's layers: the class name in snake case, numbered from the second of a kind
 * (conv2d, conv2d_1, …), as Keras names the layers of the article's model. TensorFlow.js numbers its
 * automatic names across all models built in the process, which says nothing to a reader.
 */
function kerasNames(classNames: string[]): string[] {
  const seen = new Map<string, number>();
  return classNames.map((className) => {
    const base = className.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

export function summarize(model: LayersModel): ModelSummary {
  const names = kerasNames(model.layers.map((layer) => layer.getClassName()));
  const layers = model.layers.map((layer, i) => ({
    name: names[i],
    type: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape)
      .replace(/null/g, "None")
      .replace(/\[/g, "(")
      .replace(/\]/g, ")"),
    params: layer.countParams(),
  }));
  const trainable = countOf(model.trainableWeights);
  const nonTrainable = countOf(model.nonTrainableWeights);
  return { layers, total: trainable + nonTrainable, trainable, nonTrainable };
}

export function summaryHtml(summary: ModelSummary): string {
  const rows: (string | number)[][] = summary.layers.map((l) => [
    l.name,
    l.type,
    l.outputShape,
    l.params,
  ]);
  const n = rows.length;
  rows.push(
    ["Total params", "", "", summary.total],
    ["Trainable params", "", "", summary.trainable],
    ["Non-trainable params", "", "", summary.nonTrainable],
  );
  return htmlTable(["Layer", "Type", "Output shape", "Params"], rows, {
    numeric: [3],
    bold: [n, n + 1, n + 2],
  });
}
