/**
 * "Can a deeper network beat 94%?" — the article's model beside notebook 6's recipe, both trained on this
 * machine with the same pipeline and evaluated on the same test images; beside them, results reported
 * elsewhere, marked as not measured here.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { htmlTable } from "../html";
import { formatDuration } from "../format";
import { median } from "../median";
import { epochsIn } from "../training";
import type { History } from "../training";
import { accuracy } from "../percent";

/** One row of the comparison: a trained model's parameters, epochs, median seconds per epoch and accuracy. */
interface ComparedRow {
  name: string;
  accuracy: number;
  params: number;
  epochs: number;
  secondsPerEpoch: number;
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
    params: model.countParams(),
    epochs: epochsIn(history),
    secondsPerEpoch: median(history.seconds),
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
      row.params,
      row.epochs,
      formatDuration(row.secondsPerEpoch),
      accuracy(row.accuracy),
    ]),
    { numeric: [1, 2, 3, 4], caption: "Measured in this run, on this machine" },
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
