/**
 * Showing a training as it goes, as a `model.fit` callback: a Keras-like line per epoch (with the time it
 * took and what is left), the training chart redrawn in place under the cell, a progress bar in a
 * terminal, and with FMNIST_TERMINAL_PROGRESS=1 each epoch's line on the terminal a notebook runs from.
 */
import type { Logs } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { projectRelative, runDirFor } from "../paths";
import { trainingChartBundle } from "../plots";
import type { Profile } from "../session";
import { epochLine, epochLines, variantProfile } from "../training";
import type { FinishedRun, History, TrainingVariant } from "../training";
import { inTslab, liveDisplay } from "./display";
import { kernelTerminal, trainingProgressBar } from "./progress";

export class TrainingProgress extends tf.Callback {
  private readonly chart = inTslab() ? liveDisplay() : undefined;
  private readonly bar = !inTslab() && process.stderr.isTTY ? trainingProgressBar() : undefined;
  private readonly terminal = kernelTerminal();
  private batchesPerEpoch = 0;
  private epoch = 0;

  /**
   * `history` is the run's whole history as BackupAndRestore keeps it (so put this callback after it);
   * `title` names the run on the chart.
   */
  constructor(
    private readonly history: History,
    private readonly title: string,
    private readonly log: (line: string) => void = console.log,
  ) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    const { epochs, initialEpoch, samples, batchSize } = this.params as Record<string, number>;
    this.batchesPerEpoch = Math.ceil(samples / batchSize);
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
    this.log(line);
    this.terminal?.(`[${this.title}] ${line}`);
    this.chart?.show(trainingChartBundle(this.history, this.title));
  }
}

/** "MiniVGGNet (article), full profile": how charts and terminal lines name a run. */
export function runTitle(profile: Profile, variant: TrainingVariant): string {
  return `${variant.name}, ${variantProfile(profile, variant).name} profile`;
}

/** A finished run loaded instead of trained: where it is, its epochs as they were trained, its chart. */
export function showFinishedRun(run: FinishedRun, log: (line: string) => void = console.log): void {
  log(
    `Reusing the finished ${run.profile.name} run in ${projectRelative(runDirFor(run.profile.name, run.variant))} ` +
      `(FMNIST_RETRAIN=1 trains again); its epochs, as they were trained:`,
  );
  for (const line of epochLines(run.history)) log(line);
  if (inTslab())
    liveDisplay().show(trainingChartBundle(run.history, runTitle(run.profile, run.variant)));
}
