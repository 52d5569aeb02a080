/**
 * Getting more out of trained models at test time, without training them further: average a model's
 * answers on each test image and on copies of it mirrored or shifted by a pixel (test-time augmentation —
 * fair only for a model that was trained on such copies too), and average the answers of several models
 * (an ensemble). Both only change how the softmax outputs are combined.
 */
import type { LayersModel, Tensor, Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { shiftImages } from "../data";
import { htmlTable } from "../notebook/html";
import { percent } from "./comparison";
import { accuracy, readPredictions } from "./predict";
import type { Predictions } from "./predict";

export interface Member {
  model: LayersModel;
  /** Also show the model each test image mirrored left–right, and count both answers. */
  mirror: boolean;
  /**
   * Also show it each of those views moved this many pixels up, down, left and right (default 0: none),
   * and count those answers too: five positions per view.
   */
  shift?: number;
}

/** The directions a shifted view moves in: down, up, right, left. */
const SHIFTS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/** The class probabilities averaged over the members' answers (one per view each member asks for). */
export async function predictCombined(
  members: Member[],
  x: Tensor4D,
  batchSize = 256,
): Promise<Predictions> {
  if (members.length === 0) throw new Error("predictCombined needs at least one model");
  const averaged = tf.tidy(() => {
    // Members asking for the same views share them.
    const viewsFor = new Map<string, Tensor4D[]>();
    const views = ({ mirror, shift = 0 }: Member): Tensor4D[] => {
      const key = `${mirror}/${shift}`;
      if (!viewsFor.has(key)) {
        const upright = mirror ? [x, tf.reverse(x, 2) as Tensor4D] : [x];
        const moved = (view: Tensor4D) =>
          shift ? SHIFTS.map(([dy, dx]) => shiftImages(view, dy * shift, dx * shift)) : [];
        viewsFor.set(
          key,
          upright.flatMap((view) => [view, ...moved(view)]),
        );
      }
      return viewsFor.get(key)!;
    };
    const outputs = members.flatMap((member) =>
      views(member).map((view) => member.model.predict(view, { batchSize }) as Tensor),
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
