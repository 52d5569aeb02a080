/**
 * Fresh augmented images every epoch, for `model.fit` on fixed tensors: the training images are a
 * variable, rewritten with a seeded mirrored-and-shifted copy of the originals as each epoch begins (what
 * Keras' ImageDataGenerator feeds `fit` batch by batch).
 */
import type { Tensor4D, Variable } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { augmentImages } from "../../data";

export class AugmentEveryEpoch extends tf.Callback {
  /** The tensor to pass to fit as its x: the images of the current epoch. */
  readonly images: Variable;

  constructor(
    private readonly originals: Tensor4D,
    private readonly seed: number,
  ) {
    super();
    this.images = tf.variable(originals, false);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    tf.tidy(() =>
      this.images.assign(augmentImages(this.originals, { seed: this.seed * 1000 + epoch })),
    );
  }

  /** Free the augmented copy (call once fit is done). */
  dispose(): void {
    this.images.dispose();
  }
}
