/**
 * Step 6, your own photos (notebook 6): reading image files safely, the preprocessing steps that make a
 * photo look like a Fashion-MNIST item, classifying the result, and the shipped example photos.
 */
export {
  classifyPhotos,
  photoInputs,
  photoProblemsTable,
  preprocessPhotos,
  topK,
  topKTable,
} from "./photos/classify";
export type { Ranked } from "./photos/classify";
export {
  baseColour,
  chooseTestItem,
  encodeExample,
  EXAMPLE_PHOTOS,
  EXAMPLES_DIR,
  EXAMPLES_SEED,
  isSolid,
  renderItemPhoto,
} from "./photos/examples";
export type { ExamplePhoto } from "./photos/examples";
export { PhotoError, readImageHeader } from "./photos/image-header";
export { edgesTouched } from "./photos/pipeline";
export { preprocessPhoto } from "./photos/preprocess";
export type { PhotoResult } from "./photos/preprocess";
export * from "./photos/steps";
export { describePhotoResults, photoCaption } from "./photos/narrative";
