/**
 * Your own photo → a Fashion-MNIST-like 28×28 input, from its decoded pixels. The network only knows items
 * the way the dataset shows them: grey, light on a black background, cropped to the item, its longer side
 * filling the frame.
 *
 * Decoding is the only part that differs between Node (node-canvas, preprocess.ts) and a browser (the web
 * page): both check the bytes first (image-header.ts), draw the photo into a canvas of at most
 * `workingSize` px, and hand its RGBA pixels to `preprocessDecoded`, so every pixel step (steps.ts) runs the
 * same code on small arrays in both.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from "../shape";
import { PhotoError } from "./image-header";
import type { ImageFormat, ImageHeader } from "./image-header";
import {
  Box,
  estimateBackground,
  fitWithin,
  cropGrey,
  GreyImage,
  greyFromRgba,
  invertGrey,
  padToSquare,
  removeBackground,
  resizeGrey,
  stretchToFull,
} from "./steps";

export type { Box } from "./steps";

export interface PhotoOptions {
  /** Name used in messages when the photo is not a named file (default "<buffer>"). */
  name?: string;
  /** Refuse images with more pixels than this, judged from the header (default 40 megapixels). */
  maxPixels?: number;
  /** Refuse files larger than this before reading them (default 100 MB). */
  maxFileBytes?: number;
  /** Longer side of the canvas the photo is drawn into before any pixel work (default 1024). */
  workingSize?: number;
  /** Longer side of the step images kept for display (default 192). */
  stepSize?: number;
  /** Invert the grey image: "auto" (default) when the background is light. */
  invert?: "auto" | boolean;
  /**
   * Least difference from the background level that counts as item, 0–255 (default 20; raised for noisy
   * backgrounds).
   */
  minContrast?: number;
}

export const PHOTO_DEFAULTS = {
  maxPixels: 40e6,
  maxFileBytes: 100 * 1024 * 1024,
  workingSize: 1024,
  stepSize: 192,
  invert: "auto",
  minContrast: 20,
} as const;

/** One stage of the pipeline, small enough to display. The original also keeps its colours. */
interface PhotoStep extends GreyImage {
  name: string;
  /** RGBA of the same size, for steps that have colour (only "original"). */
  rgba?: Uint8ClampedArray;
}

/** A photo drawn into its working canvas: non-premultiplied RGBA, as canvas `getImageData` returns it. */
export interface DecodedPhoto {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface PreprocessedPhoto {
  file: string;
  format: ImageFormat;
  /** Size as stored in the file's header (before EXIF rotation). */
  width: number;
  height: number;
  /** The 28×28 input, row-major, 0 = background, like a dataset image. */
  pixels: Uint8Array;
  /** Median grey level of the photo's border, 0–255, before any inversion. */
  background: number;
  inverted: boolean;
  /** Pixels further than this from the background are the item. */
  threshold: number;
  /** The item's bounding box in the working image (the photo scaled to `workingSize`). */
  box: Box;
  /** The working image's size, the frame `box` lies in. */
  frame: { width: number; height: number };
  /** Every stage: original, grey, inverted (when it was), background removed, cropped, square, 28×28. */
  steps: PhotoStep[];
  /** Things that worked but look doubtful (e.g. the item touches every edge of the photo). */
  warnings: string[];
}

/** The size of the canvas a `width`×`height` image (upright) is drawn into: no side above `maxSide`. */
export function workingSizeOf(
  width: number,
  height: number,
  maxSide: number = PHOTO_DEFAULTS.workingSize,
): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/** The network's input values for a 28×28 result: [0, 1], scaled like the training images. */
export function inputValues(pixels: Uint8Array): Float32Array {
  if (pixels.length !== IMAGE_PIXELS)
    throw new RangeError(`expected ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
  return Float32Array.from(pixels, (value) => value / 255);
}

/** The decode failure of a file whose header was fine, as a PhotoError. */
export const undecodable = (file: string, format: ImageFormat, cause: unknown) =>
  new PhotoError(
    file,
    `could not be decoded as ${format.toUpperCase()} (${(cause as Error)?.message ?? String(cause)})`,
    "the file is damaged; open and re-save it in a photo editor, or copy it again",
  );

/** Every pixel step, from the decoded working image to the 28×28 input. */
export function preprocessDecoded(
  decoded: DecodedPhoto,
  header: ImageHeader,
  file: string,
  options: PhotoOptions = {},
): PreprocessedPhoto {
  const opts = { ...PHOTO_DEFAULTS, ...options };
  const { image: grey } = greyFromRgba(decoded.rgba, decoded.width, decoded.height);

  const steps: PhotoStep[] = [];
  const keep = (name: string, image: GreyImage, rgba?: Uint8ClampedArray) => {
    const small = fitWithin(image, opts.stepSize);
    steps.push({
      name,
      ...small,
      ...(rgba && { rgba: small === image ? rgba : scaledRgba(rgba, image, small) }),
    });
  };
  keep("original", grey, decoded.rgba);
  keep("grey", grey);

  const background = estimateBackground(grey);
  const inverted = opts.invert === "auto" ? background.level > 127 : opts.invert;
  const oriented = inverted ? invertGrey(grey) : grey;
  const level = inverted ? 255 - background.level : background.level;
  if (inverted) keep("inverted", oriented);

  // Five noise σ keep sensor/JPEG grain out; the floor keeps a clean synthetic background from admitting faint halos.
  const threshold = Math.max(opts.minContrast, Math.ceil(5 * background.noise));
  const removed = removeBackground(oriented, level, threshold);
  keep("background removed", removed.image);
  // A piece smaller than this is a speck or a blemish, not a photographed item.
  const minItemPixels = Math.max(16, 0.001 * grey.width * grey.height);
  if (removed.box === undefined || removed.largestPiece < minItemPixels) {
    throw new PhotoError(
      file,
      `no item found: nothing differs from the background level ${background.level} ` +
        `by more than ${threshold} grey levels`,
      "photograph the item alone on a plain background that contrasts with it (e.g. a dark item on white paper)",
    );
  }
  const cropped = cropGrey(removed.image, removed.box);
  keep("cropped", cropped);
  const square = padToSquare(cropped);
  keep("square", square);
  // Box averaging keeps the item as sharp as 28 px allow; the dataset itself was subsampled then sharpened.
  const final = stretchToFull(resizeGrey(square, IMAGE_SIZE, IMAGE_SIZE, "box"));
  steps.push({ name: `${IMAGE_SIZE}×${IMAGE_SIZE}`, ...final });

  return {
    file,
    format: header.format,
    width: header.width,
    height: header.height,
    pixels: final.pixels,
    background: background.level,
    inverted,
    threshold,
    box: removed.box,
    frame: { width: grey.width, height: grey.height },
    steps,
    warnings: doubts(removed.box, grey, background.noise),
  };
}

export type Edge = "top" | "bottom" | "left" | "right";

/** The edges of the frame the box reaches: where an item may be cut off, or the background is not plain. */
export function edgesTouched(box: Box, frame: { width: number; height: number }): Edge[] {
  const touches: [Edge, boolean][] = [
    ["top", box.y === 0],
    ["bottom", box.y + box.height === frame.height],
    ["left", box.x === 0],
    ["right", box.x + box.width === frame.width],
  ];
  return touches.filter(([, touched]) => touched).map(([edge]) => edge);
}

function doubts(box: Box, image: GreyImage, noise: number): string[] {
  const warnings: string[] = [];
  if (edgesTouched(box, image).length === 4)
    warnings.push(
      "the item touches all four edges: it may be cut off, or the background is not plain; " +
        "leave a margin around the item",
    );
  if (noise > 12)
    warnings.push(
      `the background is uneven (noise σ ≈ ${noise.toFixed(0)} grey levels): ` +
        "faint parts of the item may be lost; use a plain, evenly lit background",
    );
  return warnings;
}

/** The colour original at the size of its grey display step. */
function scaledRgba(rgba: Uint8ClampedArray, from: GreyImage, to: GreyImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(to.width * to.height * 4);
  for (let channel = 0; channel < 4; channel++) {
    const plane = new Uint8Array(from.width * from.height);
    for (let i = 0; i < plane.length; i++) plane[i] = rgba[i * 4 + channel];
    const small = resizeGrey(
      { width: from.width, height: from.height, pixels: plane },
      to.width,
      to.height,
    ).pixels;
    for (let i = 0; i < small.length; i++) out[i * 4 + channel] = small[i];
  }
  return out;
}
