/**
 * Prose written from a run's numbers, for the notebooks' Markdown outputs: what fixed text could only say
 * about the article's run (which classes are hard, what gets confused, how the curves end) is said here
 * about the run shown above it, with the article's figures beside it.
 */
import type { Confusion } from "./predict";
import type { ClassificationMetrics } from "./report";
import { list } from "../format";
import { accuracy as formatAccuracy, percent, points } from "../percent";

/** The article's classification report (full run, 25 epochs), per class in label order. */
const ARTICLE_REPORT = {
  accuracy: 0.9352,
  /** Its training accuracy in the last epoch's log line. */
  trainingAccuracy: 0.9391,
  classes: [
    { precision: 0.88, recall: 0.89, f1Score: 0.89 },
    { precision: 1.0, recall: 0.99, f1Score: 0.99 },
    { precision: 0.9, recall: 0.92, f1Score: 0.91 },
    { precision: 0.92, recall: 0.94, f1Score: 0.93 },
    { precision: 0.92, recall: 0.89, f1Score: 0.9 },
    { precision: 0.99, recall: 0.99, f1Score: 0.99 },
    { precision: 0.81, recall: 0.8, f1Score: 0.81 },
    { precision: 0.96, recall: 0.98, f1Score: 0.97 },
    { precision: 0.99, recall: 0.99, f1Score: 0.99 },
    { precision: 0.98, recall: 0.97, f1Score: 0.97 },
  ],
} as const;

const f2 = (x: number) => x.toFixed(2);

/** The hardest and easiest classes of this run by f1, with the article's f1 for the same classes. */
export function describeReport(
  metrics: ClassificationMetrics,
  labelNames: readonly string[],
  { count = 3, profileName }: { count?: number; profileName: string },
): string {
  const byF1 = metrics.classes
    .map((row, label) => ({ label, f1: row.f1Score }))
    .sort((a, b) => a.f1 - b.f1 || a.label - b.label);
  const named = ({ label, f1 }: { label: number; f1: number }) =>
    `${labelNames[label]} (f1 ${f2(f1)}; article ${f2(ARTICLE_REPORT.classes[label].f1Score)})`;
  const accuracy = metrics.accuracy ?? metrics.microAvg.f1Score;
  return [
    `In this run (${profileName} profile) the accuracy on the test images is **${formatAccuracy(accuracy)}**`,
    `(the article's full run: ${formatAccuracy(ARTICLE_REPORT.accuracy)}) and the macro-averaged f1 is`,
    `${f2(metrics.macroAvg.f1Score)}. The hardest classes are ${list(byF1.slice(0, count).map(named))};`,
    `the easiest are ${list(byF1.slice(-count).reverse().map(named))}.`,
  ].join(" ");
}

/** The test images the model most often mistakes for another class, in words. */
export function describeConfusions(
  confusions: readonly Confusion[],
  labelNames: readonly string[],
  count = 3,
): string {
  if (confusions.length === 0) return "This run made no mistakes on these test images.";
  const items = confusions
    .slice(0, count)
    .map(
      (c) =>
        `${labelNames[c.trueClass]} taken for ${labelNames[c.predictedClass]} ` +
        `(${c.count} images, ${percent(c.rate)} of that class)`,
    );
  return `The most frequent mistakes in this run: ${list(items)}.`;
}

export interface EpochFigures {
  acc: readonly number[];
  val_acc: readonly number[];
  loss: readonly number[];
  val_loss: readonly number[];
}

/** How the training curves end: the last epoch's accuracies, the best epoch, and the sign of overfitting. */
export function describeTraining(history: EpochFigures): string {
  const epochs = history.val_acc.length;
  if (epochs === 0) return "No epoch has finished yet.";
  const last = epochs - 1;
  const best = history.val_acc.indexOf(Math.max(...history.val_acc));
  const minLoss = history.val_loss.indexOf(Math.min(...history.val_loss));
  const gap = history.acc[last] - history.val_acc[last];
  const overfit =
    epochs < 3
      ? "Too few epochs to judge overfitting (after so few steps the batch-norm layers' running statistics, which evaluation uses, have not settled either)."
      : minLoss < last && history.val_loss[last] > history.val_loss[minLoss] * 1.1
        ? `The validation loss was lowest after epoch ${minLoss + 1} and has risen since: the model has begun to overfit.`
        : gap > 0.03
          ? `Training accuracy is ${points(gap).slice(1)} above validation accuracy: some overfitting.`
          : "The validation curves stay close to the training ones: no sign of overfitting.";
  return [
    `After ${epochs} epoch${epochs === 1 ? "" : "s"} the training accuracy is ${formatAccuracy(history.acc[last])}`,
    `and the validation accuracy ${formatAccuracy(history.val_acc[last])}`,
    `(the article after 25 epochs: ${formatAccuracy(ARTICLE_REPORT.trainingAccuracy)} and ` +
      `${formatAccuracy(ARTICLE_REPORT.accuracy)}); the best validation accuracy,`,
    `${formatAccuracy(history.val_acc[best])}, came after epoch ${best + 1}. ${overfit}`,
  ].join(" ");
}

/** The montage's mistakes, tile by tile (tiles numbered 1–16 row by row), with the model's confidence. */
export function describeMistakes(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  confidence: ArrayLike<number>,
  labelNames: readonly string[],
): string {
  const wrong = Array.from(predicted, (p, i) => i).filter((i) => predicted[i] !== truth[i]);
  const total = predicted.length;
  if (wrong.length === 0) return `All ${total} images are classified correctly in this run.`;
  const items = wrong.map(
    (i) =>
      `tile ${i + 1}: ${labelNames[truth[i]]} taken for ${labelNames[predicted[i]]} ` +
      `(${percent(confidence[i])} sure)`,
  );
  return `${total - wrong.length} of ${total} are right in this run. Wrong: ${list(items)}.`;
}
