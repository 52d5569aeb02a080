/**
 * What a run trains: a model and how its training data is fed — the article's setup, or an attempt to
 * improve on it (notebook 6). Each variant has its own run folder.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { FASHION_MNIST_SHAPE } from "../data";
import { ReaderError } from "../errors";
import { deeperVGG, miniVGGNet, seedInitialWeights } from "../model";
import type { ModelShape } from "../model";
import type { Profile } from "../session";
import { ARTICLE_SCHEDULE, ONE_CYCLE_SCHEDULE } from "./schedules";
import type { LearningRateSchedule } from "./schedules";

/** A model and how its training data is fed: the article's setup, or an attempt to improve on it. */
export interface TrainingVariant {
  name: string;
  build: (seed: number) => LayersModel;
  /** Randomly mirror and shift the training images every epoch (lib/data/augment.ts). */
  augment: boolean;
  /** Appended to the profile's run folder (data/runs/quick-augmented, …), so variants never share a run. */
  runDirSuffix: string;
  /** How many epochs it trains, given the profile's (default: as many). The schedule stretches with them. */
  epochs?: (profileEpochs: number) => number;
  /** Its own batch size (default: the profile's, the article's 32). */
  batchSize?: number;
  /** Its own learning rate, where its schedule starts or peaks (default: the article's 0.01). */
  learningRate?: number;
  /** How the learning rate changes batch by batch (default: the article's time-based decay). */
  schedule?: LearningRateSchedule;
  /**
   * Its own random seed (default: the profile's): other starting weights, image order, augmentation and
   * dropout masks. A variant that sets one re-runs the variant it is built on, and nothing else.
   */
  seed?: number;
  /** The variant this one changes one thing of, so that a comparison can say what that change did. */
  builtOn?: TrainingVariant;
}

/** The profile a variant trains with: the session's, with the variant's epochs, batch size, rate and seed. */
export function variantProfile(profile: Profile, variant: TrainingVariant): Profile {
  const { epochs, batchSize, learningRate, seed } = variant;
  const same = [epochs, batchSize, learningRate, seed].every((setting) => setting === undefined);
  if (same) return profile;
  return {
    ...profile,
    epochs: epochs ? epochs(profile.epochs) : profile.epochs,
    batchSize: batchSize ?? profile.batchSize,
    initialLearningRate: learningRate ?? profile.initialLearningRate,
    seed: seed ?? profile.seed,
  };
}

/** The schedule a variant trains with. */
export function variantSchedule(variant: TrainingVariant): LearningRateSchedule {
  return variant.schedule ?? ARTICLE_SCHEDULE;
}

function seeded(build: (shape: ModelShape) => LayersModel): (seed: number) => LayersModel {
  return (seed) => {
    const model = build(FASHION_MNIST_SHAPE);
    seedInitialWeights(model, seed);
    return model;
  };
}

export const ARTICLE_VARIANT: TrainingVariant = {
  name: "MiniVGGNet (article)",
  build: seeded(miniVGGNet),
  augment: false,
  runDirSuffix: "",
};

/** The article's model fed augmented images: separates what augmentation does from what depth does. */
export const AUGMENTED_ARTICLE_VARIANT: TrainingVariant = {
  ...ARTICLE_VARIANT,
  name: "MiniVGGNet + augmentation",
  augment: true,
  runDirSuffix: "-augmented",
  builtOn: ARTICLE_VARIANT,
};

/**
 * A deeper network on augmented images, trained longer: augmentation makes every epoch a new version of
 * the data, so the network keeps learning after the article's 25 epochs (40 in the full profile).
 */
export const IMPROVED_VARIANT: TrainingVariant = {
  name: "DeeperVGG + augmentation",
  build: seeded(deeperVGG),
  augment: true,
  runDirSuffix: "-improved",
  epochs: (profileEpochs) => Math.round(profileEpochs * 1.6),
  builtOn: AUGMENTED_ARTICLE_VARIANT,
};

/**
 * The same deeper network, augmentation and epochs, with a schedule made for a long augmented run. The
 * article's decay, stretched over the full profile's 40 epochs, has cut the learning rate to a third after
 * five epochs and to a tenth by the middle of the run, so the network spends most of it taking small steps
 * while still underfitting. One cycle keeps the rate high for most of the run and anneals it to zero at the
 * end. Batches of 128 keep both cores busier than 32 (a quarter of the steps, so less time spent between
 * them in JavaScript), and a gradient averaged over more images is less noisy, so it takes a larger rate.
 */
export const ONE_CYCLE_VARIANT: TrainingVariant = {
  ...IMPROVED_VARIANT,
  name: "DeeperVGG + augmentation + one cycle",
  runDirSuffix: "-one-cycle",
  batchSize: 128,
  learningRate: 0.05,
  schedule: ONE_CYCLE_SCHEDULE,
  builtOn: IMPROVED_VARIANT,
};

/**
 * A variant trained again from another seed: other starting weights, image order, augmentation and dropout
 * masks, the same recipe. Networks trained alike from different random starts make partly different
 * mistakes, so averaging their answers (notebook 6) corrects some of them; and the gaps between the runs
 * show how much a single run's accuracy owes to chance.
 */
function reseeded(variant: TrainingVariant, seed: number): TrainingVariant {
  return {
    ...variant,
    name: `${variant.name}, seed ${seed}`,
    runDirSuffix: `${variant.runDirSuffix}-seed${seed}`,
    seed,
    builtOn: variant,
  };
}

/** The one-cycle recipe trained a second time, from seed 7. */
export const ONE_CYCLE_SECOND_SEED_VARIANT = reseeded(ONE_CYCLE_VARIANT, 7);

/** The one-cycle recipe trained a third time, from seed 13: three networks to average. */
export const ONE_CYCLE_THIRD_SEED_VARIANT = reseeded(ONE_CYCLE_VARIANT, 13);

/** The variants by the names `npm run train -- --variant NAME` takes. */
const VARIANTS_BY_NAME: Readonly<Record<string, TrainingVariant>> = {
  article: ARTICLE_VARIANT,
  augmented: AUGMENTED_ARTICLE_VARIANT,
  improved: IMPROVED_VARIANT,
  "one-cycle": ONE_CYCLE_VARIANT,
  "one-cycle-seed7": ONE_CYCLE_SECOND_SEED_VARIANT,
  "one-cycle-seed13": ONE_CYCLE_THIRD_SEED_VARIANT,
};

/** The names `--variant` takes. */
export const VARIANT_NAMES = Object.keys(VARIANTS_BY_NAME);

/** The variant of that name, or an error naming the choices. */
export function variantNamed(name: string | undefined): TrainingVariant {
  // Own names only: "toString" is not a variant.
  const known = name !== undefined && Object.prototype.hasOwnProperty.call(VARIANTS_BY_NAME, name);
  if (!known) {
    throw new ReaderError(
      `--variant ${name ?? "(missing)"}: choose one of ${VARIANT_NAMES.join(", ")}`,
    );
  }
  return VARIANTS_BY_NAME[name];
}
