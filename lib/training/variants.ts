/**
 * What a run trains: a model and how its training data is fed — the article's setup, or an attempt to
 * improve on it (notebook 6). Each variant has its own run folder.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { FASHION_MNIST_SHAPE } from "../data";
import { deeperVGG, miniVGGNet, seedInitialWeights } from "../model";
import type { ModelShape } from "../model";

/** A model and how its training data is fed: the article's setup, or an attempt to improve on it. */
export interface TrainingVariant {
  name: string;
  build: (seed: number) => LayersModel;
  /** Randomly mirror and shift the training images every epoch (lib/data/augment.ts). */
  augment: boolean;
  /** Appended to the profile's run folder (data/runs/quick-augmented, …), so variants never share a run. */
  runDirSuffix: string;
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
};

export const IMPROVED_VARIANT: TrainingVariant = {
  name: "DeeperVGG + augmentation",
  build: seeded(deeperVGG),
  augment: true,
  runDirSuffix: "-improved",
};
