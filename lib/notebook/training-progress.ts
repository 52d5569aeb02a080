/**
 * Showing a training as it goes, as a `model.fit` callback: a Keras-like line per epoch (with the time it
 * took and what is left), the training chart redrawn in place under the cell, a progress bar in a
 * terminal, and with FMNIST_TERMINAL_PROGRESS=1 each epoch's line on the terminal a notebook runs from.
 */
import type { Logs } from "@tensorflow/tfjs";
import { counted, formatDuration } from "../format";
import { median } from "../median";
import { lineFigureBundle, trainingFigure } from "../plots";
import type { Profile } from "../session";
import {
  epochLine,
  epochLines,
  epochsIn,
  RunHistory,
  stepsPerFitEpoch,
  variantProfile,
} from "../training";
import type { History, TrainingVariant } from "../training";
import { inTslab, liveDisplay } from "./display";
import { kernelTerminal, trainingProgressBar } from "./progress";

export interface ProgressOptions {
  /** Where the lines go (default console.log). */
  log?: (line: string) => void;
  /**
   * A line per epoch (default), or only one when the training ends: for a long run whose chart tells
   * the story (a terminal started with FMNIST_TERMINAL_PROGRESS=1 still gets every epoch).
   */
  epochLines?: boolean;
}

export class TrainingProgress extends RunHistory {
  // In a notebook the epoch lines are one output redrawn in place, so the chart stays under them.
  private readonly lines = inTslab() ? liveDisplay() : undefined;
  private readonly chart = inTslab() ? liveDisplay() : undefined;
  private readonly bar = !inTslab() && process.stderr.isTTY ? trainingProgressBar() : undefined;
  private readonly terminal = kernelTerminal();
  private readonly shownLines: string[] = [];
  private batchesPerEpoch = 0;
  private epoch = 0;

  private readonly log: (line: string) => void;
  private readonly epochLines: boolean;

  /**
   * `title` names the run on the chart; `restored` holds the epochs trained before this fit (the backup's,
   * once restored), which the chart and, for a finished run, the lines show too.
   */
  constructor(
    private readonly title: string,
    restored: History,
    { log = console.log, epochLines = true }: ProgressOptions = {},
  ) {
    super(restored);
    this.log = log;
    this.epochLines = epochLines;
  }

  override async onTrainBegin(): Promise<void> {
    const { epochs, initialEpoch, batchSize } = this.params as Record<string, number>;
    this.batchesPerEpoch = stepsPerFitEpoch(this);
    if (initialEpoch < epochs) {
      this.log(
        `Training ${counted(epochs - initialEpoch, "epoch")} of ` +
          `${counted(this.batchesPerEpoch, "batch", "batches")} of ${batchSize}`,
      );
    } else if (this.epochLines) {
      this.showLines(["Its epochs, as they were trained:", ...epochLines(this.history)]);
    } else {
      this.log(runSummary(this.history));
    }
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    await super.onEpochBegin(epoch);
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, _logs?: Logs): Promise<void> {
    this.bar?.(batch + 1, this.batchesPerEpoch, this.epoch);
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (!(await this.record(logs))) return;
    const { epochs } = this.params as { epochs: number };
    this.bar?.(0, 0, 0);
    const line = epochLine(this.history, epochs);
    if (this.epochLines) this.showLines([line]);
    this.terminal?.(`[${this.title}] ${line}`);
    this.showChart();
  }

  override async onTrainEnd(): Promise<void> {
    const { epochs, initialEpoch } = this.params as Record<string, number>;
    if (initialEpoch >= epochs) return;
    if (!this.epochLines && epochsIn(this.history) > 0) this.log(runSummary(this.history));
    // The chart follows a training while it goes; the finished run's is drawn once, where the run is
    // evaluated, from its saved history. An interrupted run keeps its chart.
    if (epochsIn(this.history) === epochs)
      this.chart?.show({
        "text/plain": `(${this.title}: the chart of all ${epochs} epochs is drawn where the run is evaluated)`,
      });
  }

  /** Appended to the lines output in a notebook, else logged. */
  private showLines(lines: string[]): void {
    if (!this.lines) return lines.forEach((line) => this.log(line));
    this.shownLines.push(...lines);
    this.lines.show({ "text/plain": this.shownLines.join("\n") });
  }

  private showChart(): void {
    this.chart?.show(lineFigureBundle(trainingFigure(this.history, this.title)));
  }
}

/** "40 epochs, 1m 02s each (median), 41m 20s in all; final val_acc 0.9394": a run in one line. */
function runSummary(history: History): string {
  const total = history.seconds.reduce((a, b) => a + b, 0);
  const epochs = epochsIn(history);
  return (
    `${counted(epochs, "epoch")}, ${formatDuration(median(history.seconds))} each (median), ` +
    `${formatDuration(total)} in all; final val_acc ${history.val_acc[epochs - 1].toFixed(4)}`
  );
}

/** "MiniVGGNet (article), full profile": how charts and terminal lines name a run. */
export function runTitle(profile: Profile, variant: TrainingVariant): string {
  return `${variant.name}, ${variantProfile(profile, variant).name} profile`;
}
