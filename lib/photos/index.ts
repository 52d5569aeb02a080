/**
 * Step 6, your own photos (notebook 6): reading image files safely, the preprocessing steps that make a
 * photo look like a Fashion-MNIST item, classifying the result, and the shipped example photos.
 */
export { classifyPhotos, photoInputs, topK, topKTable } from "./classify";
export type { PhotoInput, Ranked } from "./classify";
export {
  chooseTestItem,
  encodeExample,
  EXAMPLE_PHOTOS,
  EXAMPLES_DIR,
  EXAMPLES_SEED,
  renderItemPhoto,
} from "./examples";
export type { ExamplePhoto, PhotoRecipe } from "./examples";
export { PhotoError, readImageHeader } from "./photo-file";
export type { ImageFormat, ImageHeader } from "./photo-file";
export { preprocessPhoto } from "./preprocess";
export type { Box, GreyImage, PhotoOptions, PhotoResult, PhotoStep } from "./preprocess";
export * from "./steps";
