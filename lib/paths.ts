/**
 * Where the project keeps things, in one place: the dataset cache, the example photos, and the run
 * folders `data/runs/<profile><variant suffix>/` (or below FMNIST_RUNS_DIR) with the files every run holds. Paths shown to the reader
 * are relative to the project, so outputs do not carry one machine's checkout location.
 */
import * as path from "path";
import { runsDirSetting } from "./settings";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
const DATA_DIR = path.join(PROJECT_ROOT, "data");
/** Downloaded (or copied) Fashion-MNIST files. */
export const DATASET_CACHE_DIR = path.join(DATA_DIR, "fashion-mnist");
/** The example "photos" notebook 6 classifies (committed). */
export const EXAMPLES_DIR = path.join(DATA_DIR, "examples");
/** Where `npm run bench:train` writes each run's figures, one dated file per day (committed). */
export const BENCHMARKS_DIR = path.join(DATA_DIR, "benchmarks");
/** Where run folders live unless FMNIST_RUNS_DIR says otherwise. */
export const DEFAULT_RUNS_DIR = path.join(DATA_DIR, "runs");

/** The folder holding the run folders: FMNIST_RUNS_DIR, or data/runs. */
function runsDir(): string {
  return runsDirSetting() ?? DEFAULT_RUNS_DIR;
}
/** The measured Keras run of the article's recipe (scripts/keras_reference.py; committed). */
export const KERAS_REFERENCE_DIR = path.join(DATA_DIR, "keras-reference");

/**
 * The folder of a profile's run: `data/runs/quick` for the article's model, `data/runs/quick-improved`
 * for a variant with the run-folder suffix "-improved".
 */
export function runDirFor(
  profileName: string,
  variant: { runDirSuffix: string } = { runDirSuffix: "" },
): string {
  return path.join(runsDir(), profileName + variant.runDirSuffix);
}

/** The files and folders of one run. */
export interface RunPaths {
  dir: string;
  /** The last finished epoch's model, optimizer state and history, to resume from. */
  checkpoint: string;
  /** The trained model (model.json + weights.bin). */
  model: string;
  /** The history of every epoch (history.json). */
  history: string;
  /** The training plot notebook 4 saves. */
  plot: string;
  /** The prediction montage notebook 5 saves. */
  montage: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    checkpoint: path.join(dir, "checkpoint"),
    model: path.join(dir, "model"),
    history: path.join(dir, "history.json"),
    plot: path.join(dir, "plot.png"),
    montage: path.join(dir, "montage.png"),
  };
}

/**
 * A path as the reader would type it: inside the project relative to it (data/runs/quick), elsewhere as it
 * is (the runs folder a reader set with FMNIST_RUNS_DIR, say).
 */
export function projectRelative(file: string): string {
  return file.startsWith(PROJECT_ROOT + path.sep) ? path.relative(PROJECT_ROOT, file) : file;
}
