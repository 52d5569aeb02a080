/**
 * Step 1, the data (notebook 1): Fashion-MNIST loaded and verified, turned into tensors, augmented, and
 * the tables that describe it.
 */
export { augmentImages } from "./data/augment";
export type { DownloadProgress } from "./data/download";
export { DEBIAN_DIR, loadFashionMnist, pickExamples } from "./data/fashion-mnist";
export type { FashionMnist, Split } from "./data/fashion-mnist";
export {
  FASHION_MNIST_SHAPE,
  IMAGE_PIXELS,
  IMAGE_SIZE,
  LABEL_NAMES,
  NUM_CLASSES,
  SHORT_LABEL_NAMES,
} from "./shape";
export { classCountsTable, datasetTable, oneHotTable, tensorFactsTable } from "./data/tables";
export { disposeSplit, imagesToTensor, prepareSplit } from "./data/tensors";
export type { PreparedSplit } from "./data/tensors";
export { holdOutValidation, validationCount } from "./data/validation";
