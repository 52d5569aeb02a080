/**
 * The article's recipe run in Keras on this project's data (scripts/keras_reference.py, TensorFlow from
 * the same pinned wheel native TensorFlow.js uses): a measured reference beside the article's quoted
 * figures. Each run writes its own dated file, `result-<date>.json`; the newest finished run counts, and
 * one still going is not shown.
 */
import { datedFiles, DATA_JSON_MAX_BYTES, readPlainText } from "../files";
import { FileProblemError } from "../errors";
import { KERAS_REFERENCE_DIR, projectRelative } from "../paths";
import * as os from "os";
import { formatDuration } from "../format";
import { median } from "../median";
import { htmlTable } from "../html";
import type { Profile } from "../session";
import { epochsIn } from "./history";
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

/** The newest finished Keras reference run in `dir`, or undefined when there is none (yet). */
export function loadKerasReference(dir = KERAS_REFERENCE_DIR): KerasReference | undefined {
  for (const file of datedFiles(dir, "result").reverse()) {
    const run = readKerasRun(file);
    if (run !== undefined) return run;
  }
  return undefined;
}

/** One run's file, checked: the run, or undefined while it is still going. */
function readKerasRun(file: string): KerasReference | undefined {
  const problem = (what: string) =>
    new FileProblemError(
      projectRelative(file),
      what,
      "restore it from the repository, or delete it and run `.venv/bin/python scripts/keras_reference.py` again",
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
 * The Keras run beside this notebook's: who ran what where, the test accuracy and the median time per
 * epoch, with the command that remakes the Keras run as the caption. Times of different CPUs do not compare.
 */
export function kerasReferenceTable(
  reference: KerasReference,
  history: History,
  profile: Profile,
): string {
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  const epochs = epochsIn(history);
  const rows = [
    ["software", `Keras ${reference.keras}, TensorFlow ${reference.tensorflow}`, "TensorFlow.js"],
    ["machine", `${reference.cpu}, ${reference.cores} cores`, `${cpu}, ${os.cpus().length} cores`],
    ["ran on", `${reference.date}, commit ${reference.commit}`, "this notebook's run"],
    ["training images", reference.train_images, profile.trainExamples],
    ["epochs", reference.epochs.length, epochs],
    [
      "test accuracy",
      accuracy(reference.test_accuracy),
      epochs > 0 ? accuracy(history.val_acc[epochs - 1]) : "—",
    ],
    [
      "time per epoch (median)",
      formatDuration(kerasSecondsPerEpoch(reference)),
      epochs > 0 ? formatDuration(median(history.seconds)) : "—",
    ],
  ];
  return htmlTable(["", "Keras reference", "this run"], rows, {
    numeric: [1, 2],
    caption: `The Keras reference: ${reference.command}`,
  });
}
