/**
 * What a run trains: a model and how its training data is fed — the article's setup, or an attempt to
 * improve on it (notebook 6). Each variant has its own run folder.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { FASHION_MNIST_SHAPE } from "../data";
import { build, buildDeeper } from "../model";

/** A model and how its training data is fed: the article's setup, or an attempt to improve on it. */
export interface TrainingVariant {
  name: string;
  build: (seed: number) => LayersModel;
  /** Randomly mirror and shift the training images every epoch (lib/data/augment.ts). */
  augment: boolean;
  /** Appended to the profile's run folder (data/runs/quick-augmented, …), so variants never share a run. */
  runDirSuffix: string;
}

export const ARTICLE_VARIANT: TrainingVariant = {
  name: "MiniVGGNet (article)",
  build: (seed) => build({ ...FASHION_MNIST_SHAPE, seed }),
  augment: false,
  runDirSuffix: "",
};

/** The article's model fed augmented images: separates what augmentation does from what depth does. */
export const AUGMENTED_ARTICLE_VARIANT: TrainingVariant = {
  ...ARTICLE_VARIANT,
  name: "MiniVGGNet + augmentation",
  augment: true,
  runDirSuffix: "-augmented",
};

export const IMPROVED_VARIANT: TrainingVariant = {
  name: "DeeperVGG + augmentation",
  build: (seed) => buildDeeper({ ...FASHION_MNIST_SHAPE, seed }),
  augment: true,
  runDirSuffix: "-improved",
};
