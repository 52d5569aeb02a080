/**
 * Your own photo → a Fashion-MNIST-like 28×28 input. The network only knows items the way the dataset shows
 * them: grey, light on a black background, cropped to the item, its longer side filling the frame.
 *
 * Files are checked before decoding: the format from its magic bytes, the size from the PNG/JPEG header
 * (so a 100000×100000 image is refused without allocating it), completeness (libjpeg and libpng quietly
 * paint the missing part of a truncated file grey instead of failing). Large photos are drawn into a canvas
 * of at most `workingSize` px straight away, so every later step works on small arrays.
 */
import * as fs from "fs";
import { createCanvas, Image, loadImage } from "canvas";
import type { Tensor4D } from "@tensorflow/tfjs";
import { IMAGE_SIZE } from "./fashion-mnist";
import { Drawing, drawText, finish, font, newCanvas } from "./paint";
import {
  Box, estimateBackground, fitWithin, cropGrey, GreyImage, greyFromRgba, invertGrey, padToSquare, removeBackground,
  resizeGrey, stretchToFull,
} from "./photo-steps";
import { tf } from "./tf";

export type { Box, GreyImage } from "./photo-steps";

/** What is wrong with a photo, naming the file and what to do about it. */
export class PhotoError extends Error {
  constructor(readonly file: string, readonly problem: string, readonly advice: string) {
    super(`${file}: ${problem} — ${advice}`);
    this.name = "PhotoError";
  }
}

export type ImageFormat = "png" | "jpeg";

export interface PhotoOptions {
  /** Name used in messages when `input` is a Buffer (default "<buffer>"). */
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
  /** Least difference from the background level that counts as item, 0–255 (default 20; raised for noisy backgrounds). */
  minContrast?: number;
}

/** One stage of the pipeline, small enough to display. The original also keeps its colours. */
export interface PhotoStep extends GreyImage {
  name: string;
  /** RGBA of the same size, for steps that have colour (only "original"). */
  rgba?: Uint8ClampedArray;
}

export interface PhotoResult {
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
  /** Every stage: original, grey, inverted (when it was), background removed, cropped, square, 28×28. */
  steps: PhotoStep[];
  /** Things that worked but look doubtful (e.g. the item touches every edge of the photo). */
  warnings: string[];
  /** [1, 28, 28, 1] float32 in [0, 1], scaled like the training data. Call after `await initBackend()`; dispose it. */
  toTensor(): Tensor4D;
}

const DEFAULTS = { maxPixels: 40e6, maxFileBytes: 100 * 1024 * 1024, workingSize: 1024, stepSize: 192, invert: "auto", minContrast: 20 } as const;

const FORMAT_ADVICE = "use a PNG or JPEG photo";

export async function preprocessPhoto(input: string | Buffer, options: PhotoOptions = {}): Promise<PhotoResult> {
  const opts = { ...DEFAULTS, ...options };
  const file = typeof input === "string" ? input : opts.name ?? "<buffer>";
  const bytes = typeof input === "string" ? await readPhotoFile(input, opts.maxFileBytes) : input;
  const header = readImageHeader(bytes, file);
  if (header.width * header.height > opts.maxPixels) {
    throw new PhotoError(file, `is ${header.width}×${header.height} pixels (${megapixels(header.width * header.height)}), more than the ${megapixels(opts.maxPixels)} limit`,
      "scale it down first (any photo editor), or raise the maxPixels option if the machine has the memory");
  }
  const original = await decodeScaled(bytes, header, file, opts.workingSize);
  const { image: grey } = greyFromRgba(original.rgba, original.width, original.height);

  const steps: PhotoStep[] = [];
  const keep = (name: string, image: GreyImage, rgba?: Uint8ClampedArray) => {
    const small = fitWithin(image, opts.stepSize);
    steps.push({ name, ...small, ...(rgba && { rgba: small === image ? rgba : scaledRgba(rgba, image, small) }) });
  };
  keep("original", grey, original.rgba);
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
    throw new PhotoError(file, `no item found: nothing differs from the background level ${background.level} by more than ${threshold} grey levels`,
      "photograph the item alone on a plain background that contrasts with it (e.g. a dark item on white paper)");
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
    steps,
    warnings: doubts(removed.box, grey, background.noise),
    toTensor: () => tf.tidy(() => tf.tensor4d(final.pixels, [1, IMAGE_SIZE, IMAGE_SIZE, 1], "float32").div(255) as Tensor4D),
  };
}

function doubts(box: Box, image: GreyImage, noise: number): string[] {
  const warnings: string[] = [];
  const edges = [box.x === 0, box.y === 0, box.x + box.width === image.width, box.y + box.height === image.height].filter(Boolean).length;
  if (edges === 4) warnings.push("the item touches all four edges: it may be cut off, or the background is not plain; leave a margin around the item");
  if (noise > 12) warnings.push(`the background is uneven (noise σ ≈ ${noise.toFixed(0)} grey levels): faint parts of the item may be lost; use a plain, evenly lit background`);
  return warnings;
}

const megapixels = (pixels: number) => `${(pixels / 1e6).toFixed(1)} megapixels`;

async function readPhotoFile(file: string, maxBytes: number): Promise<Buffer> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new PhotoError(file, "does not exist", `check the path (relative paths start at ${process.cwd()})`);
    throw new PhotoError(file, `cannot be read (${(error as Error).message})`, "check the path and its permissions");
  }
  if (stat.isDirectory()) throw new PhotoError(file, "is a directory, not an image file", "give the path of a PNG or JPEG file inside it");
  if (stat.size === 0) throw new PhotoError(file, "is empty (0 bytes)", "the copy or download failed; copy the photo again");
  if (stat.size > maxBytes) {
    throw new PhotoError(file, `is ${(stat.size / 1024 / 1024).toFixed(0)} MB, larger than the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit`,
      "save a smaller JPEG of it, or raise the maxFileBytes option");
  }
  try {
    return await fs.promises.readFile(file);
  } catch (error) {
    throw new PhotoError(file, `cannot be read (${(error as Error).message})`, "check its permissions");
  }
}

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Format and size from the first bytes; throws a PhotoError for anything but a complete PNG or JPEG. */
export function readImageHeader(bytes: Uint8Array, file: string): ImageHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0) throw new PhotoError(file, "is empty (0 bytes)", "the copy or download failed; copy the photo again");
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return readPngHeader(buffer, file);
  if (buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return readJpegHeader(buffer, file);
  throw new PhotoError(file, `is not a PNG or JPEG image (${describeContent(buffer)})`, FORMAT_ADVICE);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A guess at what the file is instead, so the message can say "it is a GIF" rather than just "unsupported". */
function describeContent(buffer: Buffer): string {
  const ascii = buffer.subarray(0, 16).toString("latin1");
  const known: Array<[RegExp, string]> = [
    [/^GIF8[79]a/, "it is a GIF"], [/^RIFF....WEBP/s, "it is a WebP"], [/^BM/, "it is a BMP"],
    [/^....ftyp(heic|heix|mif1|avif)/s, "it is a HEIC/AVIF photo; set the camera to JPEG or export as JPEG"],
    [/^%PDF/, "it is a PDF"], [/^\s*<(\?xml|svg)/, "it is SVG/XML"], [/^II\*\0|^MM\0\*/, "it is a TIFF"],
  ];
  const match = known.find(([pattern]) => pattern.test(ascii));
  if (match) return match[1];
  const sample = buffer.subarray(0, 512);
  const printable = sample.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128).length;
  return printable === sample.length ? "it looks like text" : `its first bytes are ${[...buffer.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`;
}

const truncated = (file: string, what: string) =>
  new PhotoError(file, `is truncated or damaged (${what})`, "the copy or download was interrupted; copy the photo again");

/** IHDR for the size, then a walk over the chunks: a complete PNG ends with IEND. */
function readPngHeader(buffer: Buffer, file: string): ImageHeader {
  if (buffer.length < 33 || buffer.toString("latin1", 12, 16) !== "IHDR") throw truncated(file, "PNG without an IHDR header");
  const header: ImageHeader = { format: "png", width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
  if (header.width === 0 || header.height === 0) throw new PhotoError(file, `claims to be ${header.width}×${header.height} pixels`, FORMAT_ADVICE);
  let seenData = false;
  for (let offset = 8; offset + 12 <= buffer.length;) {
    const type = buffer.toString("latin1", offset + 4, offset + 8);
    if (type === "IEND") {
      if (!seenData) throw truncated(file, "PNG without image data");
      return header;
    }
    seenData ||= type === "IDAT";
    offset += 12 + buffer.readUInt32BE(offset);
  }
  throw truncated(file, "PNG ends before its IEND chunk");
}

// Start-of-frame markers hold the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walk the segments up to the first scan; the frame header gives the size, and a complete JPEG has an EOI marker after the scan data. */
function readJpegHeader(buffer: Buffer, file: string): ImageHeader {
  let size: { width: number; height: number } | undefined;
  let offset = 2;
  while (offset + 4 <= buffer.length) {
    if (buffer[offset] !== 0xff) throw truncated(file, `JPEG segment expected at byte ${offset}`);
    const marker = buffer[offset + 1];
    // 0xFF fill bytes and parameterless markers (TEM, RSTn) carry no length.
    if (marker === 0xff) { offset += 1; continue; }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { offset += 2; continue; }
    if (marker === 0xd9) break;
    const length = buffer.readUInt16BE(offset + 2);
    const body = buffer.subarray(offset + 4, offset + 2 + length);
    if (isStartOfFrame(marker) && body.length >= 5) size = { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
    if (marker === 0xda) {
      if (size === undefined) throw truncated(file, "JPEG scan before any frame header");
      if (size.width === 0 || size.height === 0) throw new PhotoError(file, `claims to be ${size.width}×${size.height} pixels`, FORMAT_ADVICE);
      // Inside entropy-coded data every 0xFF is followed by 0x00 or a restart marker, so FF D9 is the real end.
      if (buffer.indexOf(JPEG_EOI, offset + 2 + length) < 0) throw truncated(file, "JPEG ends before its end-of-image marker");
      return { format: "jpeg", ...size };
    }
    offset += 2 + length;
  }
  throw truncated(file, "JPEG ends before its image data");
}

const JPEG_EOI = Buffer.from([0xff, 0xd9]);

interface Decoded {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/**
 * Decode and draw into a canvas no larger than `maxSide`. Only the decoded image itself is ever full size
 * (the header check bounds it); every array we make is working-size. node-canvas already turns JPEGs
 * upright by their EXIF orientation (phones store portrait shots sideways), so `image` is upright.
 */
async function decodeScaled(bytes: Buffer, header: ImageHeader, file: string, maxSide: number): Promise<Decoded> {
  let image: Image;
  try {
    image = await loadImage(bytes);
  } catch (error) {
    throw new PhotoError(file, `could not be decoded as ${header.format.toUpperCase()} (${(error as Error).message})`,
      "the file is damaged; open and re-save it in a photo editor, or copy it again");
  }
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  ctx.quality = "best";
  ctx.drawImage(image, 0, 0, width, height);
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}

/** The colour original at the size of its grey display step. */
function scaledRgba(rgba: Uint8ClampedArray, from: GreyImage, to: GreyImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(to.width * to.height * 4);
  for (let channel = 0; channel < 4; channel++) {
    const plane = new Uint8Array(from.width * from.height);
    for (let i = 0; i < plane.length; i++) plane[i] = rgba[i * 4 + channel];
    const small = resizeGrey({ width: from.width, height: from.height, pixels: plane }, to.width, to.height).pixels;
    for (let i = 0; i < small.length; i++) out[i * 4 + channel] = small[i];
  }
  return out;
}

export interface StepsDrawingOptions {
  /** Height of each panel in px (default 140); the 28×28 result is enlarged with visible pixels. */
  panelHeight?: number;
}

/** All steps side by side with their names, on a mid-grey page so black and white panels both show their edges. */
export function drawPhotoSteps(result: PhotoResult, opts: StepsDrawingOptions = {}): Drawing {
  const panel = opts.panelHeight ?? 140;
  const gap = 12;
  const labelHeight = 20;
  const widths = result.steps.map((step) => Math.max(1, Math.round((step.width / step.height) * panel)));
  const measure = newCanvas(1, 1).ctx;
  measure.font = font(12);
  // A narrow panel (a trouser) gets a slot as wide as its name, so neighbouring names do not overlap.
  const slots = result.steps.map((step, i) => Math.max(widths[i], Math.ceil(measure.measureText(step.name).width)));
  const { canvas, ctx } = newCanvas(slots.reduce((a, b) => a + b + gap, gap), panel + labelHeight + gap * 2, "#808080");
  let x = gap;
  result.steps.forEach((step, i) => {
    const tile = createCanvas(step.width, step.height);
    const tileCtx = tile.getContext("2d");
    const data = tileCtx.createImageData(step.width, step.height);
    data.data.set(step.rgba ?? Uint8ClampedArray.from({ length: step.pixels.length * 4 }, (_, j) => (j % 4 === 3 ? 255 : step.pixels[j >> 2])));
    tileCtx.putImageData(data, 0, 0);
    // The final 28×28 is what the network sees, so its real pixels stay visible instead of being smoothed.
    ctx.imageSmoothingEnabled = step.width > IMAGE_SIZE;
    ctx.drawImage(tile, x + (slots[i] - widths[i]) / 2, gap, widths[i], panel);
    drawText(ctx, step.name, x + slots[i] / 2, gap + panel + 4, { font: font(12), color: "#ffffff", align: "center", baseline: "top" });
    x += slots[i] + gap;
  });
  return finish(canvas);
}
