/**
 * The article's recipe run in Keras on this project's data (scripts/keras_reference.py, TensorFlow from
 * the same pinned wheel native TensorFlow.js uses): a measured reference beside the article's quoted
 * figures. Only a finished run counts; one still going is not shown.
 */
import * as fs from "fs";
import { DATA_JSON_MAX_BYTES, readPlainText } from "../files";
import { FileProblemError } from "../errors";
import { KERAS_REFERENCE_FILE, projectRelative } from "../paths";
import * as os from "os";
import { formatDuration } from "../format";
import { median } from "../median";
import type { History } from "./history";
import { accuracy } from "../percent";

interface KerasEpoch {
  epoch: number;
  seconds: number;
  val_accuracy: number;
}

export interface KerasReference {
  command: string;
  /** The day it ran (YYYY-MM-DD) and the project's commit. */
  date: string;
  commit: string;
  keras: string;
  tensorflow: string;
  cpu: string;
  cores: number;
  memory_gib: number;
  train_images: number;
  epochs: KerasEpoch[];
  test_accuracy: number;
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
    value = JSON.parse(readPlainText(file, { maxBytes: DATA_JSON_MAX_BYTES })) as KerasReference;
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
  return median(reference.epochs.map((e) => e.seconds));
}

/**
 * One paragraph naming the Keras run, its result and how to reproduce it, and, beside it, this run's
 * median time per epoch: compared as a ratio only when both ran on the same CPU model.
 */
export function describeKerasReference(reference: KerasReference, history: History): string {
  const ours = median(history.seconds);
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, " ").trim();
  const comparison =
    cpu === reference.cpu
      ? `, ${(ours / kerasSecondsPerEpoch(reference)).toFixed(2)}× Keras' time on the same CPU`
      : `, on another CPU (${cpu}), so the two times do not compare`;
  return (
    `**Keras here:** Keras ${reference.keras} on TensorFlow ${reference.tensorflow} ran the article's ` +
    `recipe on the same ${reference.train_images.toLocaleString("en-US")} training images ` +
    `on ${reference.date} (${reference.cpu}, ${reference.cores} cores, ${reference.memory_gib} GiB; ` +
    `commit ${reference.commit}): test accuracy **${accuracy(reference.test_accuracy)}** after ` +
    `${reference.epochs.length} epochs, ${formatDuration(kerasSecondsPerEpoch(reference))} per epoch ` +
    `(median). Reproduce it with \`${reference.command}\`, with nothing else running; ` +
    `\`npm run bench:train\` compares the two speeds in one run. This notebook's run: ` +
    `${formatDuration(ours)} per epoch (median of ${history.seconds.length})${comparison}.`
  );
}
