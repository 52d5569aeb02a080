/**
 * Step 1, the data (notebook 1): Fashion-MNIST loaded and verified, turned into tensors, augmented, and
 * the tables that describe it.
 */
export { augmentImages } from "./augment";
export type { AugmentOptions } from "./augment";
export { downloadFile, DownloadError } from "./download";
export type { DownloadOptions, DownloadProgress } from "./download";
export {
  classCounts,
  DEBIAN_DIR,
  DEFAULT_BASE_URL,
  loadFashionMnist,
  makeSplit,
  pickExamples,
} from "./fashion-mnist";
export type { FashionMnist, LoadedFile, LoadOptions, Split } from "./fashion-mnist";
export { DataFileError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from "./idx";
export type { IdxArray } from "./idx";
export {
  FASHION_MNIST_SHAPE,
  IMAGE_PIXELS,
  IMAGE_SIZE,
  LABEL_NAMES,
  NUM_CLASSES,
  SHORT_LABEL_NAMES,
} from "./shape";
export { classCountsTable, datasetTable, oneHotTable, tensorFactsTable } from "./tables";
export { disposeSplit, imagesToTensor, labelsToOneHot, prepareSplit } from "./tensors";
export type { PreparedSplit } from "./tensors";
