/** Tables the training notebook shows: the settings, the learning-rate schedule, the history, the article's figures beside ours. */
import { htmlTable } from "../html";
import { PROFILES, stepsPerEpoch } from "../session";
import type { Profile, Session } from "../session";
import { formatDuration, formatLearningRate } from "../format";
import { epochsIn } from "./history";
import type { History } from "./history";
import { loadKerasReference } from "./keras-reference";
import type { KerasReference } from "./keras-reference";
import { articleSchedule } from "./time-based-decay";

/** Per-epoch figures as a table, with the learning rate of each epoch's last batch and the epoch's time. */
export function historyTable(history: History): string {
  const f = (x: number) => x.toFixed(4);
  const rows = history.loss.map((_, e) => [
    e + 1,
    f(history.loss[e]),
    f(history.acc[e]),
    f(history.val_loss[e]),
    f(history.val_acc[e]),
    formatLearningRate(history.learningRate[e]),
    formatDuration(history.seconds[e]),
  ]);
  return htmlTable(["epoch", "loss", "acc", "val_loss", "val_acc", "learning rate", "time"], rows, {
    numeric: [0, 1, 2, 3, 4, 5, 6],
  });
}

/** The article's reported epochs (Keras 2, TensorFlow backend, full profile). */
const ARTICLE_EPOCHS: Record<
  number,
  { loss?: number; acc?: number; val_loss?: number; val_acc: number }
> = {
  1: { loss: 0.5227, acc: 0.8241, val_loss: 0.3165, val_acc: 0.8837 },
  2: { val_acc: 0.9083 },
  3: { val_acc: 0.9107 },
  25: { loss: 0.1679, acc: 0.9391, val_loss: 0.1802, val_acc: 0.9352 },
};

/**
 * This run's validation accuracy beside the article's reported one and, when a finished Keras reference
 * run is there (keras-reference.ts; `null`: leave it out), the one Keras reached with the same recipe on
 * the same data.
 */
export function compareWithArticle(
  history: History,
  session: Session,
  keras: KerasReference | null = loadKerasReference() ?? null,
): string {
  const rows = Object.entries(ARTICLE_EPOCHS).map(([epoch, article]) => {
    const e = Number(epoch) - 1;
    const ours = e < epochsIn(history) ? history.val_acc[e].toFixed(4) : "—";
    const kerasHere = keras?.epochs[e]?.val_accuracy.toFixed(4) ?? "—";
    return [Number(epoch), article.val_acc.toFixed(4), ...(keras ? [kerasHere] : []), ours];
  });
  const kerasColumn = keras ? [`Keras reference val_acc (${keras.epochs.length} epochs)`] : [];
  return htmlTable(
    [
      "epoch",
      "article val_acc (full run)",
      ...kerasColumn,
      `this run val_acc (${session.profile.name})`,
    ],
    rows,
    { numeric: keras ? [0, 1, 2, 3] : [0, 1, 2] },
  );
}

/** The article's training settings beside this run's (the profile decides the epochs and so the decay). */
export function settingsTable(session: Session): string {
  const { profile } = session;
  const article = PROFILES.full;
  const decay = (p: Profile) =>
    `${formatLearningRate(p.initialLearningRate)} / ${p.epochs} per batch`;
  const rows = [
    ["optimiser", "SGD", "SGD (tf.train.momentum)"],
    ["momentum", article.momentum, profile.momentum],
    [
      "initial learning rate",
      formatLearningRate(article.initialLearningRate),
      formatLearningRate(profile.initialLearningRate),
    ],
    ["decay", decay(article), decay(profile)],
    ["batch size", article.batchSize, profile.batchSize],
    ["epochs", article.epochs, profile.epochs],
    ["training images", article.trainExamples, profile.trainExamples],
    ["batches per epoch", stepsPerEpoch(article), stepsPerEpoch(profile)],
    [
      "validation",
      "test split, every epoch",
      `${profile.testExamples.toLocaleString("en-US")} test images, every epoch`,
    ],
    ["loss", "categorical cross-entropy", "categoricalCrossentropy"],
  ];
  return htmlTable(["setting", "article", `this run (${profile.name} profile)`], rows);
}

/** The learning rate the schedule gives at the start of some epochs and at the very end. */
export function learningRateTable(session: Session): string {
  const { profile } = session;
  const batches = stepsPerEpoch(profile);
  const at = articleSchedule(profile.initialLearningRate, profile.epochs);
  const epochs = [...new Set([1, 2, Math.ceil(profile.epochs / 2), profile.epochs])].filter(
    (e) => e <= profile.epochs,
  );
  const rows: (string | number)[][] = epochs.map((e) => [
    `start of epoch ${e}`,
    (e - 1) * batches,
    formatLearningRate(at((e - 1) * batches)),
  ]);
  rows.push([
    "after the last batch",
    profile.epochs * batches,
    formatLearningRate(at(profile.epochs * batches)),
  ]);
  return htmlTable(["when", "iterations", "learning rate"], rows, { numeric: [1, 2] });
}
