/**
 * What a run trains: a model and how its training data is fed — the article's setup, or notebook 6's
 * improvement on it (`npm run train -- --variant improved`). Each variant has its own run folder.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { FASHION_MNIST_SHAPE, validationCount } from "../data";
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
  /**
   * Train on the training images less the validation split, and validate on that split instead of the test
   * set (lib/data/validation.ts): how notebook 6's recipe is chosen (`npm run train -- --validation`).
   */
  validation?: boolean;
}

/** The profile a variant trains with: the session's, with the variant's epochs, batch size, rate and seed. */
export function variantProfile(profile: Profile, variant: TrainingVariant): Profile {
  const { epochs, batchSize, learningRate, seed, validation } = variant;
  const same = [epochs, batchSize, learningRate, seed, validation].every(
    (setting) => setting === undefined,
  );
  if (same) return profile;
  const heldOut = validation ? validationCount(profile.trainExamples) : 0;
  return {
    ...profile,
    epochs: epochs ? epochs(profile.epochs) : profile.epochs,
    batchSize: batchSize ?? profile.batchSize,
    initialLearningRate: learningRate ?? profile.initialLearningRate,
    seed: seed ?? profile.seed,
    trainExamples: profile.trainExamples - heldOut,
    testExamples: validation ? heldOut : profile.testExamples,
  };
}

/** The variant trained on the training images less the validation split, validated on that split. */
export function onValidationSplit(variant: TrainingVariant): TrainingVariant {
  return {
    ...variant,
    name: `${variant.name}, validation split`,
    runDirSuffix: `${variant.runDirSuffix}-validation`,
    validation: true,
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

/**
 * Notebook 6's recipe, the candidate `npm run select` chose on the validation split
 * (data/benchmarks/recipe-selection-<date>.json): a deeper network on augmented images, with one cycle
 * over the run in batches of 128 and a peak rate of 0.05. Augmentation makes every epoch a new version of
 * the data, which is why the run can be longer than the article's; one cycle keeps the rate high for most
 * of it and anneals it to zero at the end; a batch four times as large averages each gradient over as
 * many more images, so the step can be larger.
 */
export const IMPROVED_VARIANT: TrainingVariant = {
  name: "DeeperVGG (dropout 0.1) + augmentation + one cycle",
  build: seeded((shape) => deeperVGG(shape, 0.1)),
  augment: true,
  runDirSuffix: "-improved",
  epochs: (profileEpochs) => Math.round(profileEpochs * 1.2),
  batchSize: 128,
  learningRate: 0.05,
  schedule: ONE_CYCLE_SCHEDULE,
};

/** The variants by the names `npm run train -- --variant NAME` takes. */
const VARIANTS_BY_NAME: Readonly<Record<string, TrainingVariant>> = {
  article: ARTICLE_VARIANT,
  improved: IMPROVED_VARIANT,
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
