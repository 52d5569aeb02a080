/**
 * Step 6, your own photos (notebook 6): reading image files safely, the preprocessing steps that make a
 * photo look like a Fashion-MNIST item, classifying the result, and the shipped example photos.
 */
export {
  classifyPhotos,
  photoInputs,
  photoProbabilities,
  photoProblemsTable,
  preprocessPhotos,
  topKTable,
} from "./photos/classify";
export { EXAMPLE_PHOTOS } from "./photos/examples";
export type { ExamplePhoto } from "./photos/examples";
export { PhotoError } from "./photos/image-header";
export { preprocessPhoto } from "./photos/preprocess";
export type { PhotoResult } from "./photos/preprocess";
export { photoCaption } from "./photos/caption";
