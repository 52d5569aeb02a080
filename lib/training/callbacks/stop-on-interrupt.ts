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

export interface ResumeAdvice {
  /** What is kept of a run stopped now, and how to carry on, e.g. "the checkpoint of epoch 3 … is intact". */
  resumeAdvice(): string;
}

export class StopOnInterrupt extends tf.Callback {
  private watch?: InterruptWatch;
  private epoch = 0;
  private stepsDone = 0;
  private batchesPerEpoch = 0;

  /** `backup` says what a stopped run keeps; `log` gets the notes (default console.log). */
  constructor(
    private readonly backup?: ResumeAdvice,
    private readonly log: (line: string) => void = console.log,
  ) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    this.batchesPerEpoch = stepsPerFitEpoch(this);
    // Outside the cell's synchronous start, where tslab would lose the listener (interrupt.ts).
    await nextTurn();
    this.watch = watchInterrupts(() =>
      this.log("Interrupt received: the training stops at the end of the current step."),
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

  override async onTrainEnd(): Promise<void> {
    const requested = this.watch?.requested ?? false;
    this.watch?.stop();
    this.watch = undefined;
    const { epochs } = this.params as { epochs: number };
    const finished = this.epoch + 1 === epochs && this.stepsDone === this.batchesPerEpoch;
    if (!requested || finished) return;
    const where =
      this.stepsDone === this.batchesPerEpoch
        ? "its last step"
        : `step ${this.stepsDone} of ${this.batchesPerEpoch}`;
    const kept = this.backup?.resumeAdvice() ?? "nothing of this run was saved";
    // fit rejects with it: the cell (or command) shows it as its error, once.
    throw new TrainingInterrupted(
      `Training interrupted in epoch ${this.epoch + 1} after ${where}; ${kept}.`,
    );
  }
}
