/**
 * A photo file (or its bytes) in Node → the 28×28 input: read and check the file, decode it with
 * node-canvas, and run the pixel steps every decoder shares (pipeline.ts).
 */
import { createCanvas, Image, loadImage } from "canvas";
import type { Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { IMAGE_SIZE } from "../shape";
import { checkPixelCount, readImageHeader } from "./image-header";
import { readPhotoFile } from "./photo-file";
import {
  inputValues,
  PHOTO_DEFAULTS,
  preprocessDecoded,
  undecodable,
  workingSizeOf,
} from "./pipeline";
import type { DecodedPhoto, PhotoOptions, PreprocessedPhoto } from "./pipeline";

export interface PhotoResult extends PreprocessedPhoto {
  /** [1, 28, 28, 1] float32 in [0, 1], scaled like the training data. Call after `await initBackend()`; dispose it. */
  toTensor(): Tensor4D;
}

export async function preprocessPhoto(
  input: string | Buffer,
  options: PhotoOptions = {},
): Promise<PhotoResult> {
  const opts = { ...PHOTO_DEFAULTS, ...options };
  const file = typeof input === "string" ? input : (opts.name ?? "<buffer>");
  const bytes = typeof input === "string" ? await readPhotoFile(input, opts.maxFileBytes) : input;
  const header = readImageHeader(bytes, file);
  checkPixelCount(header, file, opts.maxPixels);
  const decoded = await decodeScaled(bytes, header.format, file, opts.workingSize);
  const result = preprocessDecoded(decoded, header, file, opts);
  return {
    ...result,
    toTensor: () => tf.tensor4d(inputValues(result.pixels), [1, IMAGE_SIZE, IMAGE_SIZE, 1]),
  };
}

/**
 * Decode and draw into a canvas no larger than `maxSide`. Only the decoded image itself is ever full size
 * (the header check bounds it); every array we make is working-size. node-canvas already turns JPEGs
 * upright by their EXIF orientation (phones store portrait shots sideways), so `image` is upright.
 */
async function decodeScaled(
  bytes: Buffer,
  format: PreprocessedPhoto["format"],
  file: string,
  maxSide: number,
): Promise<DecodedPhoto> {
  let image: Image;
  try {
    image = await loadImage(bytes);
  } catch (error) {
    throw undecodable(file, format, error);
  }
  const { width, height } = workingSizeOf(image.width, image.height, maxSide);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.quality = "best";
  ctx.drawImage(image, 0, 0, width, height);
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}
