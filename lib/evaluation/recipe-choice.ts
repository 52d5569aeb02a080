/**
 * How notebook 6's recipe was chosen and how far its test accuracy moves with the seed: the newest of the
 * two dated files `npm run select` writes in data/benchmarks/ (the candidates scored on the validation
 * split; the chosen recipe trained with three seeds and tested once), read and checked.
 */
import { FileProblemError } from "../errors";
import { datedFiles, DATA_JSON_MAX_BYTES, readPlainText } from "../files";
import { BENCHMARKS_DIR, projectRelative } from "../paths";

/** What every dated measurement records: where it was read from, when, on which commit and machine. */
export interface Measurement {
  file: string;
  date: string;
  commit: string;
  machine: string;
  profile: string;
  command: string;
}

export interface RecipeSelection extends Measurement {
  validation: { images: number; of: number; seed: number };
  candidates: {
    recipe: string;
    epochs: number;
    batchSize: number;
    validationAccuracy: number;
    mirroredValidationAccuracy: number;
  }[];
  /** The recipe and test-time views with the highest validation accuracy. */
  chosen: { recipe: string; mirrored: boolean; validationAccuracy: number };
}

export interface RecipeSpread extends Measurement {
  recipe: string;
  mirrored: boolean;
  testImages: number;
  seeds: { seed: number; testAccuracy: number }[];
}

/** The two test-time views, as the files name them. */
const VIEWS: Readonly<Record<string, boolean>> = {
  "as they are": false,
  "as they are and mirrored, averaged": true,
};

/** How a file names the views `mirrored` stands for. */
export function viewsName(mirrored: boolean): string {
  return mirrored ? "as they are and mirrored, averaged" : "as they are";
}

const isAccuracy = (value: unknown) => typeof value === "number" && value > 0 && value <= 1;
const isText = (value: unknown) => typeof value === "string" && value !== "";

/**
 * The newest file of `kind`, parsed, with its views read into `mirrored`; `check` names what is missing.
 * A missing or damaged file is an error that names it and `command`, which makes it.
 */
function readNewest<T extends Measurement>(
  kind: string,
  command: string,
  check: (value: Record<string, unknown>) => string | undefined,
  dir: string,
): T {
  const file = datedFiles(dir, kind).pop();
  const remake = `run ${command} (full profile) to measure it, or restore data/benchmarks from the repository`;
  if (file === undefined)
    throw new FileProblemError(projectRelative(dir), `holds no ${kind}-<date>.json`, remake);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readPlainText(file, { maxBytes: DATA_JSON_MAX_BYTES })) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new FileProblemError(
      projectRelative(file),
      `is not valid JSON (${(error as Error).message})`,
      remake,
    );
  }
  const views = (value.chosen as Record<string, unknown> | undefined)?.views ?? value.views;
  const problem =
    ["date", "commit", "machine", "profile", "command"].find((key) => !isText(value[key])) ??
    (typeof views === "string" && views in VIEWS ? check(value) : "views");
  if (problem !== undefined)
    throw new FileProblemError(projectRelative(file), `has no valid ${problem}`, remake);
  const mirrored = VIEWS[views as string];
  const measured = { ...value, file: projectRelative(file) } as unknown as T;
  if (value.chosen) return { ...measured, chosen: { ...(value.chosen as object), mirrored } };
  return { ...measured, mirrored };
}

/** The newest recipe selection: every candidate's validation accuracy, and the one chosen. */
export function readRecipeSelection(dir = BENCHMARKS_DIR): RecipeSelection {
  return readNewest<RecipeSelection>(
    "recipe-selection",
    "npm run select",
    (value) => {
      const candidates = value.candidates as RecipeSelection["candidates"] | undefined;
      const chosen = value.chosen as Partial<RecipeSelection["chosen"]> | undefined;
      const validation = value.validation as Partial<RecipeSelection["validation"]> | undefined;
      if (!Array.isArray(candidates) || candidates.length === 0) return "candidates";
      for (const c of candidates)
        if (
          !isText(c.recipe) ||
          !isAccuracy(c.validationAccuracy) ||
          !isAccuracy(c.mirroredValidationAccuracy)
        )
          return "candidate (recipe and validation accuracies)";
      if (!chosen || !candidates.some((c) => c.recipe === chosen.recipe)) return "chosen recipe";
      if (!(Number(validation?.images) > 0)) return "validation split";
      return undefined;
    },
    dir,
  );
}

/** The newest spread of the chosen recipe's test accuracy over seeds. */
export function readRecipeSpread(dir = BENCHMARKS_DIR): RecipeSpread {
  return readNewest<RecipeSpread>(
    "recipe-spread",
    "npm run select",
    (value) => {
      const seeds = value.seeds as RecipeSpread["seeds"] | undefined;
      if (!isText(value.recipe)) return "recipe";
      if (!Array.isArray(seeds) || seeds.length < 2) return "seeds (two or more)";
      if (seeds.some((s) => !Number.isInteger(s.seed) || !isAccuracy(s.testAccuracy)))
        return "seed with its test accuracy";
      return undefined;
    },
    dir,
  );
}
