/**
 * The learning rate set before every batch, from a schedule of the iteration (batches trained so far).
 * Keras' LearningRateScheduler sets it once an epoch; the article's legacy `decay` lowers it after every
 * batch, and TensorFlow.js's optimisers have no `decay`, so this callback does it.
 */
import type { Logs, SGDOptimizer } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { iterationsSoFar } from "./fit-steps";

export class LearningRateEveryBatch extends tf.Callback {
  constructor(private readonly rateAt: (iteration: number) => number) {
    super();
  }

  override async onBatchBegin(_batch: number, _logs?: Logs): Promise<void> {
    // SGD and momentum (its subclass) are the optimisers with a settable rate.
    (this.model.optimizer as SGDOptimizer).setLearningRate(this.rateAt(iterationsSoFar(this)));
  }
}
