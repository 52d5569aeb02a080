import assert from "node:assert/strict";
import { test } from "node:test";
import { LABEL_NAMES } from "../../lib/data";
import {
  classificationMetrics,
  describeConfusions,
  describeMistakes,
  describeReport,
  describeTraining,
  mostConfused,
  confusionMatrix,
} from "../../lib/evaluation";

// Ten test images per class; class 6 (shirt) gets 5 right, class 0 (top) 8, every other class all 10.
const yTrue = Array.from({ length: 100 }, (_, i) => Math.floor(i / 10));
const yPred = yTrue.map((label, i) => {
  if (label === 6 && i % 10 < 5) return 0;
  if (label === 0 && i % 10 < 2) return 6;
  return label;
});

test("describeReport names this run's hardest and easiest classes with their f1 and the article's", () => {
  const text = describeReport(classificationMetrics(yTrue, yPred, 10), LABEL_NAMES, {
    count: 2,
    profileName: "quick",
  });
  // The figures, in the tutorial's one rounding for accuracies: this run's, then the article's.
  assert.match(text, /\*\*93\.00%\*\*.*93\.52%/);
  assert.match(
    text,
    /hardest classes are Shirt \(f1 0\.59; article 0\.81\) and T-shirt\/top \(f1 0\.70; article 0\.89\)/,
  );
  assert.match(text, /easiest are Ankle boot \(f1 1\.00; article 0\.97\) and Bag/);
});

test("describeConfusions lists the most frequent mistakes, or says there were none", () => {
  const confusions = mostConfused(confusionMatrix(yTrue, yPred, 10));
  assert.equal(
    describeConfusions(confusions, LABEL_NAMES),
    "The most frequent mistakes in this run: Shirt taken for T-shirt/top (5 images, 50.0% of that class) " +
      "and T-shirt/top taken for Shirt (2 images, 20.0% of that class).",
  );
  assert.equal(
    describeConfusions([], LABEL_NAMES),
    "This run made no mistakes on these test images.",
  );
});

test("describeTraining reports the last and best epochs and tells overfitting from a close fit", () => {
  const close = {
    acc: [0.8, 0.9],
    val_acc: [0.82, 0.89],
    loss: [0.5, 0.3],
    val_loss: [0.45, 0.31],
  };
  // The last epoch's training and validation accuracy, the article's two, then the best epoch's.
  assert.match(
    describeTraining(close),
    /^After 2 epochs .*90\.00%.*89\.00%.*93\.91%.*93\.52%.*89\.00%/,
  );
  assert.match(describeTraining(close), /Too few epochs to judge overfitting/);
  const longer = {
    acc: [0.8, 0.9, 0.91],
    val_acc: [0.82, 0.89, 0.9],
    loss: [0.5, 0.3, 0.28],
    val_loss: [0.45, 0.31, 0.3],
  };
  assert.match(describeTraining(longer), /no sign of overfitting/);
  const overfit = {
    acc: [0.8, 0.9, 0.97],
    val_acc: [0.85, 0.88, 0.87],
    loss: [0.5, 0.3, 0.1],
    val_loss: [0.4, 0.3, 0.45],
  };
  assert.match(describeTraining(overfit), /lowest after epoch 2 and has risen since/);
  assert.match(describeTraining(overfit), /best validation accuracy, 88\.00%, came after epoch 2/);
});

test("describeMistakes names each wrong tile with the model's confidence", () => {
  assert.equal(
    describeMistakes([5, 1, 7], [7, 1, 7], [0.94, 0.99, 0.8], LABEL_NAMES),
    "2 of 3 are right in this run. Wrong: tile 1: Sneaker taken for Sandal (94.0% sure).",
  );
  assert.equal(
    describeMistakes([1], [1], [0.9], LABEL_NAMES),
    "All 1 images are classified correctly in this run.",
  );
});
