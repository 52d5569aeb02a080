/** Classifying preprocessed photos with a trained model, and the top-k answers as a table. */
import * as fs from "fs";
import * as path from "path";
import type { LayersModel } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { predict, probabilitiesOf } from "../evaluation";
import { htmlTable } from "../html";
import { FileProblemError } from "../errors";
import { photosSetting } from "../settings";
import { EXAMPLE_PHOTOS } from "./examples";
import type { ExamplePhoto } from "./examples";
import { preprocessPhoto } from "./preprocess";
import type { PhotoOptions } from "./pipeline";
import type { PhotoResult } from "./preprocess";
import { percent } from "../percent";
import { topK } from "./top-k";
import type { Ranked } from "./top-k";

/** Each photo's probability for every class, in class order (one batch, tensors freed). */
export async function photoProbabilities(
  model: LayersModel,
  photos: PhotoResult[],
): Promise<number[][]> {
  if (photos.length === 0) return [];
  const x = tf.tidy(() => tf.concat(photos.map((photo) => photo.toTensor())));
  const predictions = await predict(model, x);
  x.dispose();
  return photos.map((_, i) => probabilitiesOf(predictions, i));
}

/** The model's top-k classes for each photo. */
export async function classifyPhotos(
  model: LayersModel,
  photos: PhotoResult[],
  k = 3,
): Promise<Ranked[][]> {
  return (await photoProbabilities(model, photos)).map((probabilities) => topK(probabilities, k));
}

export function topKTable(
  names: string[],
  truth: (string | undefined)[],
  ranked: Ranked[][],
  labelNames: readonly string[],
): string {
  const k = ranked[0]?.length ?? 0;
  const rows = ranked.map((answers, i) => [
    names[i],
    truth[i] ?? "?",
    ...answers.map((a) => `${labelNames[a.classIndex]} ${percent(a.probability)}`),
    truth[i] === undefined ? "" : labelNames[answers[0].classIndex] === truth[i] ? "✓" : "✗",
  ]);
  return htmlTable(
    ["image", "true class", ...Array.from({ length: k }, (_, j) => `#${j + 1}`), "top-1 right?"],
    rows,
  );
}

export interface PhotoInput {
  path: string;
  name: string;
  /** The true class name, when known (the shipped examples). */
  label?: string;
  /** The shipped example this is, with what it was made from. */
  example?: ExamplePhoto;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * The most images a notebook classifies and shows at once: each brings its preprocessing steps and a
 * table row, so thousands would take minutes, hundreds of megabytes of output and as much memory.
 */
const MAX_PHOTOS = 48;

/**
 * The images the notebook classifies: the reader's (`FMNIST_PHOTOS`: files or folders, read and checked by
 * lib/settings.ts) or else the shipped examples. A folder contributes its PNG and JPEG files.
 */
export function photoInputs(
  entries: readonly string[] | undefined = photosSetting(),
  examples: readonly ExamplePhoto[] = EXAMPLE_PHOTOS,
): PhotoInput[] {
  if (entries === undefined)
    return examples.map((e) => ({ path: e.path, name: e.file, label: e.labelName, example: e }));
  const inputs = entries.flatMap((entry) => {
    if (!fs.statSync(entry).isDirectory()) return [entry];
    return fs
      .readdirSync(entry)
      .filter((f) => IMAGE_FILE.test(f))
      .sort()
      .map((f) => path.join(entry, f));
  });
  if (inputs.length === 0)
    throw new Error(`FMNIST_PHOTOS=${entries.join(",")} names no PNG or JPEG files`);
  if (inputs.length > MAX_PHOTOS) {
    const count = (n: number) => n.toLocaleString("en-US");
    console.log(
      `FMNIST_PHOTOS names ${count(inputs.length)} images: the first ${MAX_PHOTOS} (folders in name order) ` +
        `are classified here and ${count(inputs.length - MAX_PHOTOS)} are left out; name fewer to choose which.`,
    );
  }
  return inputs.slice(0, MAX_PHOTOS).map((file) => ({ path: file, name: path.basename(file) }));
}

export interface PreparedPhotos {
  /** The inputs that could be used, with their results in the same order. */
  inputs: PhotoInput[];
  photos: PhotoResult[];
  /** The ones that could not, each with the message that says why and what to do. */
  problems: { input: PhotoInput; message: string }[];
}

/**
 * Preprocess every input; one that cannot be used (not an image, truncated, no item found, …) is listed
 * in `problems` beside the others instead of ending the run. Errors that are not about a file still end it.
 */
export async function preprocessPhotos(
  inputs: readonly PhotoInput[],
  options: PhotoOptions = {},
): Promise<PreparedPhotos> {
  const prepared: PreparedPhotos = { inputs: [], photos: [], problems: [] };
  for (const input of inputs) {
    try {
      prepared.photos.push(await preprocessPhoto(input.path, options));
      prepared.inputs.push(input);
    } catch (error) {
      if (!(error instanceof FileProblemError)) throw error;
      prepared.problems.push({ input, message: error.message });
    }
  }
  return prepared;
}

/** The photos that could not be used, and why. */
export function photoProblemsTable(problems: PreparedPhotos["problems"]): string {
  return htmlTable(
    ["image", "why it was skipped"],
    problems.map(({ input, message }) => [input.name, message]),
  );
}
