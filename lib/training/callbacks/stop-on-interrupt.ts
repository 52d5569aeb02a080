/**
 * Jupyter's Interrupt (and Ctrl-C in a terminal) stops `model.fit` at the end of the current step, and
 * fit then rejects with a TrainingInterrupted saying where it stopped and how to resume. Keras stops on
 * KeyboardInterrupt by itself; a tslab kernel does not (interrupt.ts says why).
 */
import type { Logs } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { nextTurn, TrainingInterrupted, watchInterrupts } from "../interrupt";
import type { InterruptWatch } from "../interrupt";
import { stepsPerFitEpoch } from "./fit-steps";

export interface StopOnInterruptOptions {
  /** The checkpoint folder, as the reader knows it, that BackupAndRestore writes after every epoch. */
  checkpoint?: string;
  /** Where the notes go (default console.log). */
  log?: (line: string) => void;
}

export class StopOnInterrupt extends tf.Callback {
  private watch?: InterruptWatch;
  private epoch = 0;
  private stepsDone = 0;
  private batchesPerEpoch = 0;
  /** Epochs of the run fit finished (validated), those before this fit included. */
  private finishedEpochs = 0;

  constructor(private readonly options: StopOnInterruptOptions = {}) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    this.batchesPerEpoch = stepsPerFitEpoch(this);
    this.finishedEpochs = (this.params as { initialEpoch?: number }).initialEpoch ?? 0;
    // Outside the cell's synchronous start, where tslab would lose the listener (interrupt.ts).
    await nextTurn();
    const log = this.options.log ?? console.log;
    this.watch = watchInterrupts(() =>
      log("Interrupt received: the training stops at the end of the current step."),
    );
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.stepsDone = 0;
  }

  override async onBatchEnd(batch: number, _logs?: Logs): Promise<void> {
    this.stepsDone = batch + 1;
    // Lets a pending signal be handled before the next step.
    await nextTurn();
    if (this.watch?.requested) this.model.stopTraining = true;
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs?.val_loss !== undefined) this.finishedEpochs++;
  }

  override async onTrainEnd(): Promise<void> {
    const requested = this.watch?.requested ?? false;
    this.watch?.stop();
    this.watch = undefined;
    const { epochs } = this.params as { epochs: number };
    if (!requested || this.finishedEpochs >= epochs) return;
    const where =
      this.stepsDone === this.batchesPerEpoch
        ? "its last step"
        : `step ${this.stepsDone} of ${this.batchesPerEpoch}`;
    // fit rejects with it: the cell (or command) shows it as its error, once.
    throw new TrainingInterrupted(
      `Training interrupted in epoch ${this.epoch + 1} after ${where}; ${this.kept()}.`,
    );
  }

  private kept(): string {
    const { checkpoint } = this.options;
    if (this.finishedEpochs === 0)
      return "no epoch had finished, so running it again starts the run afresh";
    if (checkpoint === undefined) return "nothing of this run was saved";
    return (
      `the checkpoint of epoch ${this.finishedEpochs} in ${checkpoint} is intact: ` +
      "run the cell (or command) again to resume from it"
    );
  }
}
