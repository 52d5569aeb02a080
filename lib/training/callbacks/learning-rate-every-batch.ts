/**
 * The learning rate set before every batch, from a schedule of the iteration (batches trained so far).
 * Keras' LearningRateScheduler sets it once an epoch; the article's legacy `decay` lowers it after every
 * batch, and TensorFlow.js's optimisers have no `decay`, so this callback does it.
 */
import type { Logs, MomentumOptimizer } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { stepsPerFitEpoch } from "./fit-steps";

export class LearningRateEveryBatch extends tf.Callback {
  private batchesPerEpoch = 0;
  private epoch = 0;

  constructor(
    private readonly optimizer: MomentumOptimizer,
    private readonly rateAt: (iteration: number) => number,
  ) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    this.batchesPerEpoch = stepsPerFitEpoch(this);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchBegin(batch: number, _logs?: Logs): Promise<void> {
    this.optimizer.setLearningRate(this.rateAt(this.epoch * this.batchesPerEpoch + batch));
  }
}
