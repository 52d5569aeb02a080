/**
 * Showing a training as it goes, as a `model.fit` callback: a Keras-like line per epoch (with the time it
 * took and what is left), the training chart redrawn in place under the cell, a progress bar in a
 * terminal, and with FMNIST_TERMINAL_PROGRESS=1 each epoch's line on the terminal a notebook runs from.
 */
import type { Logs } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { formatDuration } from "../format";
import { median } from "../median";
import { projectRelative, runDirFor } from "../paths";
import { trainingChartBundle } from "../plots";
import type { Profile } from "../session";
import { epochLine, epochLines, epochsIn, stepsPerFitEpoch, variantProfile } from "../training";
import type { FinishedRun, History, TrainingVariant } from "../training";
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

export class TrainingProgress extends tf.Callback {
  private readonly chart = inTslab() ? liveDisplay() : undefined;
  private readonly bar = !inTslab() && process.stderr.isTTY ? trainingProgressBar() : undefined;
  private readonly terminal = kernelTerminal();
  private batchesPerEpoch = 0;
  private epoch = 0;

  private readonly log: (line: string) => void;
  private readonly epochLines: boolean;

  /**
   * `history` is the run's whole history as BackupAndRestore keeps it (so put this callback after it);
   * `title` names the run on the chart.
   */
  constructor(
    private readonly history: History,
    private readonly title: string,
    { log = console.log, epochLines = true }: ProgressOptions = {},
  ) {
    super();
    this.log = log;
    this.epochLines = epochLines;
  }

  override async onTrainBegin(): Promise<void> {
    const { epochs, initialEpoch, batchSize } = this.params as Record<string, number>;
    this.batchesPerEpoch = stepsPerFitEpoch(this);
    if (initialEpoch < epochs)
      this.log(
        `Training ${epochs - initialEpoch} epoch(s) of ${this.batchesPerEpoch} batches of ${batchSize}`,
      );
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, _logs?: Logs): Promise<void> {
    this.bar?.(batch + 1, this.batchesPerEpoch, this.epoch);
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs?.val_loss === undefined) return;
    const { epochs } = this.params as { epochs: number };
    this.bar?.(0, 0, 0);
    const line = epochLine(this.history, epochs);
    if (this.epochLines) this.log(line);
    this.terminal?.(`[${this.title}] ${line}`);
    this.chart?.show(trainingChartBundle(this.history, this.title));
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.epochLines && epochsIn(this.history) > 0) this.log(runSummary(this.history));
  }
}

/** "40 epochs, 1m 02s each (median), 41m 20s in all; final val_acc 0.9394": a run in one line. */
function runSummary(history: History): string {
  const total = history.seconds.reduce((a, b) => a + b, 0);
  const epochs = epochsIn(history);
  return (
    `${epochs} epoch${epochs === 1 ? "" : "s"}, ${formatDuration(median(history.seconds))} each (median), ` +
    `${formatDuration(total)} in all; final val_acc ${history.val_acc[epochs - 1].toFixed(4)}`
  );
}

/** "MiniVGGNet (article), full profile": how charts and terminal lines name a run. */
export function runTitle(profile: Profile, variant: TrainingVariant): string {
  return `${variant.name}, ${variantProfile(profile, variant).name} profile`;
}

/**
 * A finished run loaded instead of trained: where it is, its epochs as they were trained (or, without
 * epoch lines, the run in one line), its chart.
 */
export function showFinishedRun(
  run: FinishedRun,
  { log = console.log, epochLines: eachEpoch = true }: ProgressOptions = {},
): void {
  const where = projectRelative(runDirFor(run.profile.name, run.variant));
  const reusing = `Reusing the finished ${run.profile.name} run in ${where} (FMNIST_RETRAIN=1 trains again)`;
  if (eachEpoch) {
    log(`${reusing}; its epochs, as they were trained:`);
    for (const line of epochLines(run.history)) log(line);
  } else {
    log(`${reusing}: ${runSummary(run.history)}`);
  }
  if (inTslab())
    liveDisplay().show(trainingChartBundle(run.history, runTitle(run.profile, run.variant)));
}
