/** What one Fashion-MNIST example is: a 28×28 grey image, labelled with one of 10 classes. */

/** The article's class names, by label index. */
export const LABEL_NAMES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** The lower-case short names the article's script uses in its report and montage. */
export const SHORT_LABEL_NAMES: readonly string[] = [
  "top",
  "trouser",
  "pullover",
  "dress",
  "coat",
  "sandal",
  "shirt",
  "sneaker",
  "bag",
  "ankle boot",
];

/** Width and height of every image, in pixels. */
export const IMAGE_SIZE = 28;
/** Pixels (bytes) per image: images are stored one after another, row-major. */
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = LABEL_NAMES.length;

/** The network's input and output for Fashion-MNIST: 28×28×1 grey images, 10 classes. */
export const FASHION_MNIST_SHAPE = {
  width: IMAGE_SIZE,
  height: IMAGE_SIZE,
  depth: 1,
  classes: NUM_CLASSES,
} as const;
