/**
 * The article's recipe run in Keras on this project's data (scripts/keras_reference.py, TensorFlow from
 * the same pinned wheel native TensorFlow.js uses): a measured reference beside the article's quoted
 * figures. Only a finished run counts; one still going is not shown.
 */
import * as fs from "fs";
import { FileProblemError } from "../files";
import { KERAS_REFERENCE_FILE, projectRelative } from "../paths";
import { formatDuration } from "./history";
import { accuracy } from "../percent";

interface KerasEpoch {
  epoch: number;
  seconds: number;
  val_accuracy: number;
}

export interface KerasReference {
  command: string;
  keras: string;
  tensorflow: string;
  cpu: string;
  cores: number;
  train_images: number;
  epochs: KerasEpoch[];
  test_accuracy: number;
  /** Anything that qualifies the figures, e.g. that the machine was shared while it ran. */
  note?: string;
}

/** The finished Keras reference run, or undefined when there is none (yet). */
export function loadKerasReference(file = KERAS_REFERENCE_FILE): KerasReference | undefined {
  if (!fs.existsSync(file)) return undefined;
  const problem = (what: string) =>
    new FileProblemError(
      projectRelative(file),
      what,
      "run `.venv/bin/python scripts/keras_reference.py` again to rewrite it",
    );
  let value: KerasReference;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8")) as KerasReference;
  } catch (error) {
    throw problem(`is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value.epochs)) throw problem("has no list of epochs");
  for (const row of value.epochs) {
    if (![row.epoch, row.seconds, row.val_accuracy].every(Number.isFinite))
      throw problem(`has an epoch without its number, seconds or val_accuracy`);
  }
  return typeof value.test_accuracy === "number" ? value : undefined;
}

/** The Keras run's median seconds per epoch. */
export function kerasSecondsPerEpoch(reference: KerasReference): number {
  const seconds = reference.epochs.map((e) => e.seconds).sort((a, b) => a - b);
  const mid = Math.floor(seconds.length / 2);
  return seconds.length % 2 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
}

/** One paragraph naming the Keras run, its result and how to reproduce it. */
export function describeKerasReference(reference: KerasReference): string {
  return (
    `**Keras here:** Keras ${reference.keras} on TensorFlow ${reference.tensorflow} ran the article's ` +
    `recipe on the same ${reference.train_images.toLocaleString("en-US")} training images ` +
    `(${reference.cpu}, ${reference.cores} cores): test accuracy ` +
    `**${accuracy(reference.test_accuracy)}** after ${reference.epochs.length} epochs, ` +
    `${formatDuration(kerasSecondsPerEpoch(reference))} per epoch (median). ` +
    (reference.note ? `${reference.note} ` : "") +
    `Reproduce it with \`${reference.command}\`; compare speeds with \`npm run bench:train\`, which ` +
    `measures both in one run.`
  );
}
