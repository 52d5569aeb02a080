import type { Logs, Tensor } from "@tensorflow/tfjs";
import { formatDuration } from "../format";

/**
 * What a training run records per epoch, with the names Keras uses in `H.history`.
 * (A type alias, not an interface, so it is assignable to the chart's generic Record of series.)
 */
export type History = {
  loss: number[];
  acc: number[];
  val_loss: number[];
  val_acc: number[];
  /** Wall-clock seconds each epoch took, including validation. */
  seconds: number[];
  /** The learning rate in force at the end of each epoch. */
  learningRate: number[];
};

/**
 * The figures of an epoch from `fit`'s epoch logs, or undefined for an epoch fit broke off (an interrupt):
 * only a finished epoch has been validated. Scalar tensors in the logs become numbers, as tfjs' own
 * CustomCallback makes them, so that they are freed now rather than when fit ends.
 */
export async function epochFigures(
  logs: Logs | undefined,
): Promise<Record<"loss" | "acc" | "val_loss" | "val_acc", number> | undefined> {
  if (logs?.val_loss === undefined) return undefined;
  const values = logs as Record<string, number | Tensor>;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "number") continue;
    values[key] = (await value.data())[0];
    value.dispose();
  }
  const { loss, acc, val_loss, val_acc } = values as Record<string, number>;
  return { loss, acc, val_loss, val_acc };
}

const HISTORY_KEYS = ["loss", "acc", "val_loss", "val_acc", "seconds", "learningRate"] as const;

export function emptyHistory(): History {
  return { loss: [], acc: [], val_loss: [], val_acc: [], seconds: [], learningRate: [] };
}

export function epochsIn(history: History): number {
  return history.loss.length;
}

export function parseHistory(json: string, source: string): History {
  const value = JSON.parse(json) as Partial<History>;
  const n = value.loss?.length ?? -1;
  for (const key of HISTORY_KEYS) {
    const series = value[key];
    if (
      !Array.isArray(series) ||
      series.length !== n ||
      series.some((x) => typeof x !== "number")
    ) {
      throw new Error(
        `${source}: not a training history (field '${key}' is missing or has the wrong length)`,
      );
    }
  }
  return value as History;
}

/** One Keras-like line per epoch, with the time it took and an estimate of what is left. */
export function epochLine(history: History, epochs: number): string {
  const done = epochsIn(history);
  const mean = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
  const eta = done < epochs ? ` · ETA ${formatDuration(mean * (epochs - done))}` : "";
  return formatEpoch(history, done - 1, epochs) + eta;
}

/** The lines a finished run printed while it trained, one per epoch (without the estimates). */
export function epochLines(history: History): string[] {
  const epochs = epochsIn(history);
  return history.loss.map((_, e) => formatEpoch(history, e, epochs));
}

function formatEpoch(history: History, e: number, epochs: number): string {
  const f = (x: number) => x.toFixed(4);
  return (
    `Epoch ${String(e + 1).padStart(String(epochs).length)}/${epochs} · ` +
    `loss ${f(history.loss[e])} · acc ${f(history.acc[e])} · ` +
    `val_loss ${f(history.val_loss[e])} · val_acc ${f(history.val_acc[e])} · ` +
    `${formatDuration(history.seconds[e])}`
  );
}
