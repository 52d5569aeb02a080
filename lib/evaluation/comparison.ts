/**
 * "Can we beat 94%?" — the article's model against an improved one, trained with the same pipeline and
 * profile on this machine, beside results reported elsewhere (clearly marked as not measured here).
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { htmlTable } from "../html";
import { PROFILES } from "../session";
import type { Profile } from "../session";
import { epochsIn, formatDuration, variantProfile, variantSchedule } from "../training";
import type { History, SideBySideEstimate, TrainingVariant } from "../training";
import { accuracy, percent, points } from "../percent";

export interface MeasuredRun {
  variant: TrainingVariant;
  model: LayersModel;
  history: History;
  profile: Profile;
  trainExamples: number;
  testExamples: number;
  /**
   * Its model timed for a few seconds beside the other rows' (estimateSideBySide), in turns on the same
   * machine: unlike its run's own times, these compare the models, not what else the machine was doing
   * while each run trained.
   */
  timedSideBySide?: SideBySideEstimate;
}

/** Seconds per epoch of the variant's full run, from the side-by-side timing. */
function timedEpochSeconds(run: MeasuredRun): number | undefined {
  const estimate = run.timedSideBySide;
  return estimate && estimate.fullRunSeconds / variantProfile(PROFILES.full, run.variant).epochs;
}

/** An accuracy as a percentage with two decimals, as the comparison tables show it. */
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Results reported by others on the full dataset; shown for orientation, never as our measurement. */
const REPORTED_RESULTS = [
  { model: "MiniVGGNet, 25 epochs (the article, Keras)", accuracy: 0.9352, source: "the article" },
  {
    model: "ResNet18 with augmentation",
    accuracy: 0.949,
    source: "Fashion-MNIST benchmark table (Zalando)",
  },
  {
    model: "WRN-28-10 with augmentation",
    accuracy: 0.967,
    source: "Fashion-MNIST benchmark table (Zalando)",
  },
];

export function comparisonTable(runs: MeasuredRun[]): string {
  const timedSideBySide = runs.some((run) => run.timedSideBySide);
  const rows: (string | number)[][] = runs.map((run) => {
    const epochs = epochsIn(run.history);
    const secondsPerEpoch = mean(run.history.seconds);
    // The variant's full run (60,000 images, 25 epochs or its own number): this run's total if it was
    // that run, otherwise projected (time scales with the images seen).
    const full = variantProfile(PROFILES.full, run.variant);
    const isFullRun = run.trainExamples === full.trainExamples && epochs === full.epochs;
    const fullScale = (full.trainExamples * full.epochs) / (run.trainExamples * epochs);
    const fullRun = `${formatDuration(secondsPerEpoch * epochs * fullScale)} (${isFullRun ? "measured" : "projected"})`;
    const trained = variantProfile(run.profile, run.variant);
    const timed = timedEpochSeconds(run);
    return [
      run.variant.name,
      run.variant.augment ? "flip + shift" : "none",
      `${variantSchedule(run.variant).describe(trained)}, batch ${trained.batchSize}`,
      run.model.countParams(),
      `${run.profile.name}: ${run.trainExamples.toLocaleString("en-US")} × ${epochs} epochs`,
      accuracy(run.history.val_acc[epochs - 1]),
      formatDuration(secondsPerEpoch),
      fullRun,
      ...(timedSideBySide ? [timed === undefined ? "not timed" : formatDuration(timed)] : []),
    ];
  });
  return htmlTable(
    [
      "model",
      "augmentation",
      "learning rate",
      "params",
      "trained on (profile)",
      `test accuracy (${runs[0]?.testExamples.toLocaleString("en-US")} images)`,
      "time / epoch",
      "full run here",
      ...(timedSideBySide ? ["full-run epoch, timed side by side"] : []),
    ],
    rows,
    { numeric: [3, 5, 6, 8], caption: "Measured on this machine" },
  );
}

export function reportedTable(): string {
  return htmlTable(
    ["model", "test accuracy", "source"],
    REPORTED_RESULTS.map((r) => [r.model, accuracy(r.accuracy), r.source]),
    { numeric: [1], caption: "Reported elsewhere, full dataset (not measured here)" },
  );
}

/**
 * Why a change did not help, where the run itself shows it: a model whose accuracy on its own training
 * inputs (augmented, with dropout active) ends below its test accuracy had not finished learning them.
 */
function stillUnderfitting(run: MeasuredRun): string {
  const last = epochsIn(run.history) - 1;
  const trainAccuracy = run.history.acc[last];
  if (trainAccuracy > run.history.val_acc[last]) return "";
  const inputs = run.variant.augment ? "its augmented training images" : "its training images";
  return (
    ` Its accuracy on ${inputs} (${accuracy(trainAccuracy)}, dropout active) ended below its test ` +
    `accuracy: it was still underfitting when its ${last + 1} epochs ran out.`
  );
}

/**
 * What the measured rows say, in words: each variant's accuracy and time per epoch against the first
 * row's (the article's model) and against the row of the variant it builds on, whether it beat the first
 * row in this run, and if not, whether the variant was still underfitting.
 */
export function describeComparison(runs: MeasuredRun[]): string {
  const [base, ...others] = runs;
  if (base === undefined) return "";
  const last = (run: MeasuredRun) => run.history.val_acc[epochsIn(run.history) - 1];
  const timeAgainst = (run: MeasuredRun, other: MeasuredRun) => {
    const [timed, otherTimed] = [timedEpochSeconds(run), timedEpochSeconds(other)];
    return timed !== undefined && otherTimed !== undefined
      ? `${(timed / otherTimed).toFixed(2)}× its time per epoch timed side by side`
      : `${(mean(run.history.seconds) / mean(other.history.seconds)).toFixed(2)}× its time per epoch`;
  };
  const sentences = others.map((run) => {
    const delta = last(run) - last(base);
    const verdict = delta > 0.002 ? "helped" : delta < -0.002 ? "hurt" : "made no real difference";
    // What its own change did: against the variant it builds on, when that one is in the table too.
    const previous = runs.find((r) => r !== base && r.variant === run.variant.builtOn);
    const rerun = previous && run.variant.seed !== previous.variant.seed;
    const step = previous
      ? `; ${points(last(run) - last(previous))} against ${previous.variant.name}` +
        (rerun ? " (the same recipe from another seed: that gap is chance alone)" : "")
      : "";
    // A re-run is the same model: its time against the run it repeats shows how precise the timing is.
    const time = rerun
      ? `${timeAgainst(run, previous)} of the identical model it repeats`
      : timeAgainst(run, base);
    return (
      `${run.variant.name}: ${accuracy(last(run))} (${points(delta)} against ${base.variant.name}${step}), ` +
      `${time} — in this run it ${verdict}.` +
      (verdict === "helped" ? "" : stillUnderfitting(run))
    );
  });
  const spreads = runs.flatMap((run) => run.timedSideBySide?.roundSpread ?? []);
  const spread = spreads.length
    ? [
        `Timed side by side, a model's slowest round took up to ${percent(Math.max(...spreads) - 1)}`,
        "longer than its fastest, the one the table shows.",
      ]
    : [];
  const epochs = epochsIn(base.history);
  return [
    `On the ${base.profile.name} profile (${base.trainExamples.toLocaleString("en-US")} images × ${epochs}`,
    `epoch${epochs === 1 ? "" : "s"}), ${base.variant.name} reaches ${accuracy(last(base))}.`,
    ...sentences,
    ...spread,
  ].join(" ");
}
