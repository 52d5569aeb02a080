/**
 * What the page runs to classify a photo: the model `npm run train` or notebook 3 saved, loaded over HTTP,
 * and notebook 6's preprocessing. Notebook 7 shows this file.
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, LABEL_NAMES } from "../lib/shape";
import { inputValues } from "../lib/photos/pipeline";
import type { PreprocessedPhoto } from "../lib/photos/pipeline";
import { topK } from "../lib/photos/top-k";
import { preprocessPhotoFile } from "./decode";

/** model.json names weights.bin beside it, so the browser fetches both from the page's model/ folder. */
export function loadClassifier(): Promise<tf.LayersModel> {
  return tf.loadLayersModel("model/model.json");
}

export interface Classified {
  photo: PreprocessedPhoto;
  /** One probability per class, in LABEL_NAMES order. */
  probabilities: number[];
  /** The three most probable classes, most probable first. */
  top3: { label: string; probability: number }[];
}

export async function classifyPhoto(
  model: tf.LayersModel,
  file: Blob,
  name: string,
): Promise<Classified> {
  const photo = await preprocessPhotoFile(file, name);
  const output = tf.tidy(() => {
    const input = tf.tensor4d(inputValues(photo.pixels), [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    return model.predict(input) as tf.Tensor;
  });
  const probabilities = Array.from(await output.data());
  output.dispose();
  const top3 = topK(probabilities, 3).map(({ classIndex, probability }) => ({
    label: LABEL_NAMES[classIndex],
    probability,
  }));
  return { photo, probabilities, top3 };
}
