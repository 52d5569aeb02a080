/**
 * Every environment variable the tutorial reads, in one place: `FMNIST_*` (the run), `TFJS_*` (the compute
 * backend) and `FASHION_MNIST_*` (where the dataset comes from). Each is read by one function here, when it
 * is needed, and checked: a value that is not accepted is an error naming the variable, the value and what
 * is accepted, never a silent fallback. Unset and empty mean "the default".
 */
import * as fs from "fs";
import * as path from "path";
import { hideFields, ReaderError } from "./errors";

const PROFILE_NAMES = ["full", "quick", "smoke"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const BACKEND_NAMES = ["tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

type Env = NodeJS.ProcessEnv;

/** A setting's value is not one it accepts. */
export class SettingError extends ReaderError {
  declare readonly variable: string;
  declare readonly value: string;
  declare readonly accepted: string;

  constructor(variable: string, value: string, accepted: string) {
    super(`${variable}=${value} is not ${accepted}`);
    hideFields<SettingError>(this, { variable, value, accepted });
  }
}

/** Several settings are wrong at once: the message lists each. */
class SettingsError extends ReaderError {}

/** The variable's value, or undefined when it is unset or empty. */
function read(env: Env, variable: string): string | undefined {
  const value = env[variable];
  return value === undefined || value === "" ? undefined : value;
}

function oneOf<T extends string>(env: Env, variable: string, values: readonly T[]): T | undefined {
  const value = read(env, variable);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw new SettingError(variable, value, `one of ${values.join(", ")}`);
  }
  return value as T;
}

/** A yes/no switch: "1" turns it on, "0" (or unset) leaves it off. */
function flag(env: Env, variable: string): boolean {
  return oneOf(env, variable, ["0", "1"]) === "1";
}

/** `FMNIST_PROFILE`: how much of the article's run to do (default: chosen from the backend). */
export function profileSetting(env: Env = process.env): ProfileName | undefined {
  return oneOf(env, "FMNIST_PROFILE", PROFILE_NAMES);
}

/**
 * `FMNIST_RUNS_DIR`: the folder that holds the run folders (default: data/runs in the project). A relative
 * path is taken from the current directory. It may not exist yet (the first training makes it), but it may
 * not be a file.
 */
export function runsDirSetting(env: Env = process.env): string | undefined {
  const value = read(env, "FMNIST_RUNS_DIR");
  if (value === undefined) return undefined;
  const dir = path.resolve(value);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new SettingError(
      "FMNIST_RUNS_DIR",
      value,
      "a folder for the run folders (an existing folder, or one the first training creates)",
    );
  }
  return dir;
}

/** `FMNIST_RETRAIN=1`: train again even when a finished run of the profile exists. */
export function retrainSetting(env: Env = process.env): boolean {
  return flag(env, "FMNIST_RETRAIN");
}

/**
 * `FMNIST_TERMINAL_PROGRESS=1`: training in a notebook also writes a line per epoch to the terminal that
 * started the kernel (scripts/run-notebooks.sh sets it, since nbconvert shows no output until the end).
 */
export function terminalProgressSetting(env: Env = process.env): boolean {
  return flag(env, "FMNIST_TERMINAL_PROGRESS");
}

/**
 * `FMNIST_PHOTOS`: images (files or folders, separated by commas) for notebook 6 to classify instead of
 * the shipped examples. Every entry must exist.
 */
export function photosSetting(env: Env = process.env): string[] | undefined {
  const value = read(env, "FMNIST_PHOTOS");
  if (value === undefined) return undefined;
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const accepted = "a comma-separated list of existing image files or folders";
  if (entries.length === 0) throw new SettingError("FMNIST_PHOTOS", value, accepted);
  const missing = entries.filter((entry) => !fs.existsSync(entry));
  if (missing.length > 0) {
    throw new SettingError(
      "FMNIST_PHOTOS",
      value,
      `${accepted} (${missing.join(", ")} does not exist)`,
    );
  }
  return entries;
}

/** `TFJS_BACKEND`: force a compute backend (default: native TensorFlow, else wasm, else cpu). */
export function backendSetting(env: Env = process.env): BackendName | undefined {
  return oneOf(env, "TFJS_BACKEND", BACKEND_NAMES);
}

/** A whole number from 1 to `max`, written in plain decimal digits; `accepted` says so to the reader. */
function positiveInteger(
  env: Env,
  variable: string,
  max: number,
  accepted: string,
): number | undefined {
  const value = read(env, variable);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > max)
    throw new SettingError(variable, value, accepted);
  return n;
}

/**
 * `FMNIST_GRAPH=0`: on native TensorFlow, train op by op (eagerly) instead of running each training step as
 * one TensorFlow graph (default: graphs, as Keras' model.fit).
 */
export function graphSetting(env: Env = process.env): boolean {
  return oneOf(env, "FMNIST_GRAPH", ["0", "1"]) !== "0";
}

/** `TFJS_WASM_THREADS`: threads for the wasm backend (default: undefined, meaning one per core). */
export function wasmThreadsSetting(env: Env = process.env): number | undefined {
  return positiveInteger(
    env,
    "TFJS_WASM_THREADS",
    256,
    "a positive integer up to 256 (1 = the single-threaded build; unset = one thread per core)",
  );
}

/** `RUNS`: how many times `npm run bench:load` loads the dataset (default 7). */
export function benchmarkRunsSetting(env: Env = process.env): number {
  return positiveInteger(env, "RUNS", 1000, "a positive integer up to 1000 (default 7)") ?? 7;
}

/** `FASHION_MNIST_DIR`: read the dataset from this directory only. */
export function datasetDirSetting(env: Env = process.env): string | undefined {
  const value = read(env, "FASHION_MNIST_DIR");
  if (value !== undefined && !(fs.existsSync(value) && fs.statSync(value).isDirectory())) {
    throw new SettingError(
      "FASHION_MNIST_DIR",
      value,
      "an existing directory (the one holding the dataset files)",
    );
  }
  return value;
}

/** `FASHION_MNIST_OFFLINE=1`: never download the dataset. */
export function offlineSetting(env: Env = process.env): boolean {
  return flag(env, "FASHION_MNIST_OFFLINE");
}

/** `FASHION_MNIST_URL`: the base URL the dataset files are downloaded from. */
export function datasetUrlSetting(env: Env = process.env): string | undefined {
  const value = read(env, "FASHION_MNIST_URL");
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new SettingError("FASHION_MNIST_URL", value, "an http:// or https:// URL");
  }
  // A base URL: without the final slash, its last segment would be replaced by the file names.
  return value.endsWith("/") ? value : `${value}/`;
}

/**
 * Read every setting the notebooks and `npm run train` use, so that a bad value stops the run at its
 * start (each notebook's first cell) rather than halfway through; all bad values are reported at once.
 */
export function checkSettings(env: Env = process.env): void {
  const readers = [
    profileSetting,
    runsDirSetting,
    retrainSetting,
    terminalProgressSetting,
    photosSetting,
    backendSetting,
    graphSetting,
    wasmThreadsSetting,
    datasetDirSetting,
    offlineSetting,
    datasetUrlSetting,
  ];
  const problems = readers.flatMap((readSetting) => {
    try {
      readSetting(env);
      return [];
    } catch (error) {
      if (error instanceof SettingError) return [error];
      throw error;
    }
  });
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SettingsError(
      `${problems.length} settings are wrong:\n${problems.map((p) => p.message).join("\n")}`,
    );
  }
}
