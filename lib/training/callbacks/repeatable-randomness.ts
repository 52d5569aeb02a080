/**
 * A seeded run repeats exactly, and a resumed one trains as the uninterrupted run would: `model.fit`'s
 * shuffle takes its order from a seed per epoch, and each Dropout layer draws its mask from a seed per
 * layer and step. Keras gets this from `keras.utils.set_random_seed`; TensorFlow.js shuffles with
 * `Math.random`, which cannot be seeded, and applies a Dropout layer's fixed seed to every step alike.
 */
import type { Logs } from "@tensorflow/tfjs";
import { tf } from "../../backend";
import { shuffledIndices } from "../../random";
import { iterationsSoFar } from "./fit-steps";

interface SeedableDropout {
  seed?: number;
}

export class RepeatableRandomness extends tf.Callback {
  /** The order fit's index array is in (it shuffles the same array again each epoch). */
  private order: Int32Array = new Int32Array(0);
  private dropout: SeedableDropout[] = [];
  private restoreRandom?: () => number;

  constructor(private readonly seed: number) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    const { samples } = this.params as { samples: number };
    this.order = Int32Array.from({ length: samples }, (_, i) => i);
    this.dropout = this.model.layers.filter(
      (layer) => layer.getClassName() === "Dropout",
    ) as unknown as SeedableDropout[];
  }

  /**
   * fit shuffles right after this, with tfjs-core's Fisher–Yates (`util.shuffle`: n draws of
   * `Math.random`, from the last position down). The draws given here turn the array's current order into
   * this epoch's seeded one, whatever epochs came before in this call.
   */
  override async onEpochBegin(epoch: number): Promise<void> {
    const target = shuffledIndices(this.order.length, this.seed * 1000 + epoch);
    const draws = fisherYatesDraws(this.order, target);
    this.order = target;
    const original = Math.random;
    let next = 0;
    Math.random = () => (next < draws.length ? draws[next++] : (next++, original()));
    this.restoreRandom = () => {
      Math.random = original;
      return next;
    };
  }

  override async onBatchBegin(batch: number, _logs?: Logs): Promise<void> {
    if (batch === 0) this.endShuffle();
    const iteration = iterationsSoFar(this);
    this.dropout.forEach((layer, i) => (layer.seed = hashSeed(this.seed, iteration, i)));
  }

  /** Only while a step runs: a seed left on a layer would be saved with the model. */
  override async onBatchEnd(): Promise<void> {
    this.dropout.forEach((layer) => (layer.seed = undefined));
  }

  override async onTrainEnd(): Promise<void> {
    this.restoreRandom?.();
    this.restoreRandom = undefined;
    this.dropout.forEach((layer) => (layer.seed = undefined));
  }

  private endShuffle(): void {
    const drawn = this.restoreRandom?.();
    this.restoreRandom = undefined;
    if (drawn !== this.order.length) {
      throw new Error(
        `RepeatableRandomness: model.fit drew ${drawn} random numbers before the epoch's first batch, ` +
          `not the ${this.order.length} of one shuffle: call fit with shuffle: true, and give no other ` +
          "callback that draws Math.random when an epoch begins",
      );
    }
  }
}

/** The `Math.random()` values with which util.shuffle turns `from` into `to` (both permutations of 0…n−1). */
function fisherYatesDraws(from: Int32Array, to: Int32Array): number[] {
  const array = Int32Array.from(from);
  const position = new Int32Array(array.length);
  array.forEach((value, i) => (position[value] = i));
  const draws: number[] = [];
  for (let counter = array.length; counter > 0;) {
    const index = position[to[counter - 1]];
    draws.push((index + 0.5) / counter);
    counter--;
    const moved = array[counter];
    array[counter] = array[index];
    array[index] = moved;
    position[array[index]] = index;
    position[array[counter]] = counter;
  }
  return draws;
}

function hashSeed(...parts: number[]): number {
  return parts.reduce((hash, part) => Math.imul(hash ^ part, 0x9e3779b1) >>> 0, 0x811c9dc5);
}
