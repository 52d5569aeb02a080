/**
 * Getting more out of trained models at test time, without training them further: average a model's
 * answers on each test image and on its mirror image (test-time augmentation — fair only for a model that
 * was trained on mirrored images too), and average the answers of several models (an ensemble). Both only
 * change how the softmax outputs are combined.
 */
import type { LayersModel, Tensor, Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { htmlTable } from "../notebook/html";
import { percent } from "./comparison";
import { accuracy, readPredictions } from "./predict";
import type { Predictions } from "./predict";

export interface Member {
  model: LayersModel;
  /** Also show the model each test image mirrored left–right, and count both answers. */
  mirror: boolean;
}

/** The class probabilities averaged over the members' answers (two per mirrored member). */
export async function predictCombined(
  members: Member[],
  x: Tensor4D,
  batchSize = 256,
): Promise<Predictions> {
  if (members.length === 0) throw new Error("predictCombined needs at least one model");
  const averaged = tf.tidy(() => {
    const mirrored = members.some((m) => m.mirror) ? tf.reverse(x, 2) : undefined;
    const outputs = members.flatMap(({ model, mirror }) =>
      (mirror ? [x, mirrored!] : [x]).map((view) => model.predict(view, { batchSize }) as Tensor),
    );
    return tf.div(tf.addN(outputs), outputs.length);
  });
  return readPredictions(averaged);
}

export interface Combination {
  name: string;
  members: Member[];
}

export interface CombinationResult {
  name: string;
  accuracy: number;
}

/** Each combination's accuracy on the test images. */
export async function evaluateCombinations(
  combinations: Combination[],
  x: Tensor4D,
  labels: ArrayLike<number>,
): Promise<CombinationResult[]> {
  const results: CombinationResult[] = [];
  for (const { name, members } of combinations) {
    const { classes } = await predictCombined(members, x);
    results.push({ name, accuracy: accuracy(labels, classes) });
  }
  return results;
}

const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(2)}`;

/** The combinations' accuracies beside the best single model's. */
export function combinationTable(
  results: CombinationResult[],
  bestSingle: CombinationResult,
): string {
  return htmlTable(
    ["answers averaged", "test accuracy", `points vs ${bestSingle.name}`],
    results.map((r) => [r.name, percent(r.accuracy), points(r.accuracy - bestSingle.accuracy)]),
    { numeric: [1, 2], caption: "Combining trained models at test time (nothing retrained)" },
  );
}

/** What the combinations gave in this run, in words, against the best single model and a target. */
export function describeCombinations(
  results: CombinationResult[],
  bestSingle: CombinationResult,
  target: number,
): string {
  const best = results.reduce((a, b) => (b.accuracy > a.accuracy ? b : a), bestSingle);
  if (best === bestSingle) {
    return `No combination beat ${bestSingle.name} alone (${percent(bestSingle.accuracy)}) in this run.`;
  }
  const verdict =
    best.accuracy >= target ? `above ${percent(target)}` : `still short of ${percent(target)}`;
  return (
    `Best: ${best.name}, ${percent(best.accuracy)} — ${points(best.accuracy - bestSingle.accuracy)} ` +
    `points over ${bestSingle.name} alone (${percent(bestSingle.accuracy)}), ${verdict}.`
  );
}
