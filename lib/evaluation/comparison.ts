/**
 * "Can we beat 94%?" — the article's model beside notebook 6's improvement, both trained on this machine
 * with the same pipeline and evaluated on the same test images; beside them, results reported elsewhere
 * and the recipes measured on the way, both clearly marked as not this run.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import * as path from "path";
import { DATA_JSON_MAX_BYTES, readPlainText } from "../files";
import { FileProblemError } from "../errors";
import { htmlTable } from "../html";
import { BENCHMARKS_DIR, projectRelative } from "../paths";
import { formatDuration } from "../format";
import { median } from "../median";
import { epochsIn } from "../training";
import type { History } from "../training";
import { accuracy, points } from "../percent";

/** One row of the comparison: a trained model, or a way of asking one (then without training figures). */
export interface ComparedRow {
  name: string;
  accuracy: number;
  /** Its parameters, epochs and median seconds per epoch, for a row that was trained. */
  trained?: { params: number; epochs: number; secondsPerEpoch: number };
}

/** A trained model's row: its parameters, and its run's epochs and median time per epoch on this machine. */
export function trainedRow(
  name: string,
  model: LayersModel,
  history: History,
  testAccuracy: number,
): ComparedRow {
  return {
    name,
    accuracy: testAccuracy,
    trained: {
      params: model.countParams(),
      epochs: epochsIn(history),
      secondsPerEpoch: median(history.seconds),
    },
  };
}

/** The rows as one table: params, epochs, time per epoch (the median of its run), test accuracy. */
export function comparisonTable(rows: ComparedRow[], testImages: number): string {
  return htmlTable(
    [
      "model",
      "params",
      "epochs",
      "time per epoch (median)",
      `test accuracy (${testImages.toLocaleString("en-US")} images)`,
    ],
    rows.map((row) => [
      row.name,
      row.trained?.params ?? "(as above)",
      row.trained?.epochs ?? "(as above)",
      row.trained ? formatDuration(row.trained.secondsPerEpoch) : "no training",
      accuracy(row.accuracy),
    ]),
    { numeric: [1, 2, 3, 4], caption: "Measured in this run, on this machine" },
  );
}

/**
 * What the rows say, from their figures: each row against the first (the article's model), and where
 * the last row stands against `target`.
 */
export function describeComparison(rows: ComparedRow[], target: number): string {
  const [base, ...others] = rows;
  const sentences = others.map(
    (row) => `${row.name}: ${accuracy(row.accuracy)}, ${points(row.accuracy - base.accuracy)}.`,
  );
  const best = rows.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const verdict =
    best.accuracy >= target
      ? `${best.name} is above ${accuracy(target)}`
      : `no row reaches ${accuracy(target)} (the best: ${best.name})`;
  return (
    `Against the article's model here (${base.name}, ${accuracy(base.accuracy)}): ` +
    `${sentences.join(" ")} In this run ${verdict}.`
  );
}

/** Zalando's benchmark table: the README of github.com/zalandoresearch/fashion-mnist. */
const ZALANDO = "Zalando's benchmark table (github.com/zalandoresearch/fashion-mnist)";
/** Results reported by others on the full dataset; shown for orientation, never as our measurement. */
const REPORTED_RESULTS = [
  { model: "MiniVGGNet, 25 epochs (the article, Keras)", accuracy: 0.9352, source: "the article" },
  { model: "ResNet18 with augmentation", accuracy: 0.949, source: ZALANDO },
  { model: "WRN-28-10 with augmentation (crops, flips)", accuracy: 0.959, source: ZALANDO },
  { model: "WRN-28-10, the same and random erasing", accuracy: 0.963, source: ZALANDO },
];

export function reportedTable(): string {
  return htmlTable(
    ["model", "test accuracy", "source"],
    REPORTED_RESULTS.map((r) => [r.model, accuracy(r.accuracy), r.source]),
    { numeric: [1], caption: "Reported elsewhere, full dataset (not measured here)" },
  );
}

/** The recipes measured before notebook 6 settled on one path: which, when, where and how again. */
const EARLIER_RECIPES_FILE = path.join(BENCHMARKS_DIR, "notebook-6-recipes-2026-12-01.json");

interface EarlierRecipes {
  date: string;
  commit: string;
  machine: string;
  profile: string;
  runs: { recipe: string; test_accuracy: number; command: string }[];
}

/** The earlier recipes' table, read from their dated file; a damaged file is an error naming it. */
export function earlierRecipesTable(file = EARLIER_RECIPES_FILE): string {
  let recipes: EarlierRecipes;
  try {
    recipes = JSON.parse(readPlainText(file, { maxBytes: DATA_JSON_MAX_BYTES })) as EarlierRecipes;
    if (!Array.isArray(recipes.runs) || recipes.runs.some((r) => !(r.test_accuracy > 0)))
      throw new Error("it has no list of runs with their test accuracy");
  } catch (error) {
    throw new FileProblemError(
      projectRelative(file),
      `cannot be read (${(error as Error).message})`,
      "restore it from the repository (git checkout -- data/benchmarks)",
    );
  }
  return htmlTable(
    ["recipe", "test accuracy", "to train it again"],
    recipes.runs.map((r) => [r.recipe, accuracy(r.test_accuracy), r.command]),
    {
      numeric: [1],
      caption:
        `Earlier measurements, not this run: ${recipes.profile} profile, ${recipes.date}, ` +
        `commit ${recipes.commit}, ${recipes.machine} (${projectRelative(file)})`,
    },
  );
}
