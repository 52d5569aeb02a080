/**
 * The browser's side of notebook 6's preprocessing: the same checks of the file's bytes and the same pixel
 * steps (lib/photos/image-header.ts and pipeline.ts); only the decoding is the browser's own.
 */
import {
  checkPixelCount,
  emptyPhoto,
  photoTooLarge,
  readImageHeader,
} from "../lib/photos/image-header";
import {
  PHOTO_DEFAULTS,
  preprocessDecoded,
  undecodable,
  workingSizeOf,
} from "../lib/photos/pipeline";
import type { PhotoOptions, PreprocessedPhoto } from "../lib/photos/pipeline";

export async function preprocessPhotoFile(
  file: Blob,
  name: string,
  options: PhotoOptions = {},
): Promise<PreprocessedPhoto> {
  const opts = { ...PHOTO_DEFAULTS, ...options };
  if (file.size > opts.maxFileBytes) throw photoTooLarge(name, file.size, opts.maxFileBytes);
  if (file.size === 0) throw emptyPhoto(name);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = readImageHeader(bytes, name);
  checkPixelCount(header, name, opts.maxPixels);
  let bitmap: ImageBitmap;
  try {
    // Upright by its EXIF orientation, as node-canvas decodes it; colours as stored, as node-canvas reads them.
    bitmap = await createImageBitmap(file, {
      imageOrientation: "from-image",
      colorSpaceConversion: "none",
      premultiplyAlpha: "none",
    });
  } catch (error) {
    throw undecodable(name, header.format, error);
  }
  const { width, height } = workingSizeOf(bitmap.width, bitmap.height, opts.workingSize);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (context === null) throw new Error("this browser gives no 2D canvas");
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  return preprocessDecoded({ width, height, rgba }, header, name, opts);
}
