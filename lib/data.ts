/**
 * Step 1, the data (notebook 1): Fashion-MNIST loaded and verified, turned into tensors, augmented, and
 * the tables that describe it.
 */
export { augmentImages, shiftImages } from "./data/augment";
export type { AugmentOptions } from "./data/augment";
export { downloadFile, DownloadError } from "./data/download";
export type { DownloadOptions, DownloadProgress } from "./data/download";
export {
  classCounts,
  DEBIAN_DIR,
  DEFAULT_BASE_URL,
  loadFashionMnist,
  makeSplit,
  pickExamples,
} from "./data/fashion-mnist";
export type { FashionMnist, LoadedFile, LoadOptions, Split } from "./data/fashion-mnist";
export { DataFileError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from "./data/idx";
export type { IdxArray } from "./data/idx";
export {
  FASHION_MNIST_SHAPE,
  IMAGE_PIXELS,
  IMAGE_SIZE,
  LABEL_NAMES,
  NUM_CLASSES,
  SHORT_LABEL_NAMES,
} from "./data/shape";
export { classCountsTable, datasetTable, oneHotTable, tensorFactsTable } from "./data/tables";
export { disposeSplit, imagesToTensor, labelsToOneHot, prepareSplit } from "./data/tensors";
export type { PreparedSplit } from "./data/tensors";
