/**
 * Keras' History for a whole run: the epochs a restored checkpoint held, then each epoch `fit` finishes,
 * read from fit's logs, with the time the epoch took and the learning rate its model's optimiser ended it
 * with. fit's own History holds only the epochs of one call, so a resumed run's would start midway.
 */
import type { Logs, SGDOptimizer } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { emptyHistory, epochFigures } from "../history";
import type { History } from "../history";

export class RunHistory extends tf.Callback {
  /** Every epoch of the run so far. */
  readonly history: History = emptyHistory();
  private epochStarted = 0;

  /** `earlier`: the epochs trained before this fit (a restored checkpoint's), copied. */
  constructor(earlier?: History) {
    super();
    if (earlier) this.startFrom(earlier);
  }

  override async onEpochBegin(_epoch: number, _logs?: Logs): Promise<void> {
    this.epochStarted = Date.now();
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    await this.record(logs);
  }

  /** Replace the history with a copy of `earlier`. */
  protected startFrom(earlier: History): void {
    for (const key of Object.keys(this.history) as (keyof History)[])
      this.history[key] = [...earlier[key]];
  }

  /**
   * Append a finished epoch's figures; false for an epoch fit broke off (an interrupt), which is not kept.
   */
  protected async record(logs?: Logs): Promise<boolean> {
    const figures = await epochFigures(logs);
    if (figures === undefined) return false;
    const optimizer = this.model.optimizer as SGDOptimizer;
    this.history.loss.push(figures.loss);
    this.history.acc.push(figures.acc);
    this.history.val_loss.push(figures.val_loss);
    this.history.val_acc.push(figures.val_acc);
    this.history.seconds.push((Date.now() - this.epochStarted) / 1000);
    this.history.learningRate.push(optimizer.getConfig().learningRate as number);
    return true;
  }
}
