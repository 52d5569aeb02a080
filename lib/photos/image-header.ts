/**
 * Checking a photo's bytes before any decoding, in Node and in the browser alike: the format from its magic
 * bytes, the size from the PNG/JPEG header (so a 100000×100000 image is refused without allocating it), and
 * completeness (libjpeg and libpng quietly paint the missing part of a truncated file grey instead of
 * failing). Every problem is a PhotoError that names the file and says what to do.
 */
import { FileProblemError } from "../errors";

/** What is wrong with a photo, naming the file and what to do about it. */
export class PhotoError extends FileProblemError {
  /** A photo problem always comes with advice. */
  declare readonly advice: string;

  constructor(file: string, problem: string, advice: string) {
    super(file, problem, advice);
  }
}

export type ImageFormat = "png" | "jpeg";

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

const FORMAT_ADVICE = "use a PNG or JPEG photo";

const megapixels = (pixels: number) => `${(pixels / 1e6).toFixed(1)} megapixels`;

export const emptyPhoto = (file: string) =>
  new PhotoError(file, "is empty (0 bytes)", "the copy or download failed; copy the photo again");

export const photoTooLarge = (file: string, size: number, maxBytes: number) =>
  new PhotoError(
    file,
    `is ${(size / 1024 / 1024).toFixed(0)} MB, larger than the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit`,
    "save a smaller JPEG of it, or raise the maxFileBytes option",
  );

/** Refuses an image whose header promises more pixels than `maxPixels`, before it is decoded. */
export function checkPixelCount(header: ImageHeader, file: string, maxPixels: number): void {
  const pixels = header.width * header.height;
  if (pixels > maxPixels)
    throw new PhotoError(
      file,
      `is ${header.width}×${header.height} pixels (${megapixels(pixels)}), ` +
        `more than the ${megapixels(maxPixels)} limit`,
      "scale it down first (any photo editor), or raise the maxPixels option if the machine has the memory",
    );
}

/** Format and size from the first bytes; throws a PhotoError for anything but a complete PNG or JPEG. */
export function readImageHeader(bytes: Uint8Array, file: string): ImageHeader {
  if (bytes.length === 0) throw emptyPhoto(file);
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return readPngHeader(bytes, file);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return readJpegHeader(bytes, file);
  throw new PhotoError(
    file,
    `is not a PNG or JPEG image (${describeContent(bytes)})`,
    FORMAT_ADVICE,
  );
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const latin1 = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A guess at what the file is instead, so the message can say "it is a GIF" rather than just "unsupported". */
function describeContent(bytes: Uint8Array): string {
  const ascii = latin1(bytes, 0, 16);
  const known: Array<[RegExp, string]> = [
    [/^GIF8[79]a/, "it is a GIF"],
    [/^RIFF....WEBP/s, "it is a WebP"],
    [/^BM/, "it is a BMP"],
    [
      /^....ftyp(heic|heix|mif1|avif)/s,
      "it is a HEIC/AVIF photo; set the camera to JPEG or export as JPEG",
    ],
    [/^%PDF/, "it is a PDF"],
    [/^\s*<(\?xml|svg)/, "it is SVG/XML"],
    [/^II\*\0|^MM\0\*/, "it is a TIFF"],
  ];
  const match = known.find(([pattern]) => pattern.test(ascii));
  if (match) return match[1];
  const sample = bytes.subarray(0, 512);
  const printable = sample.filter(
    (b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128,
  ).length;
  return printable === sample.length
    ? "it looks like text"
    : `its first bytes are ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`;
}

const truncated = (file: string, what: string) =>
  new PhotoError(
    file,
    `is truncated or damaged (${what})`,
    "the copy or download was interrupted; copy the photo again",
  );

const zeroSized = (file: string, size: { width: number; height: number }) =>
  new PhotoError(file, `claims to be ${size.width}×${size.height} pixels`, FORMAT_ADVICE);

/** IHDR for the size, then a walk over the chunks: a complete PNG ends with IEND. */
function readPngHeader(bytes: Uint8Array, file: string): ImageHeader {
  if (bytes.length < 33 || latin1(bytes, 12, 16) !== "IHDR")
    throw truncated(file, "PNG without an IHDR header");
  const data = view(bytes);
  const header: ImageHeader = {
    format: "png",
    width: data.getUint32(16),
    height: data.getUint32(20),
  };
  if (header.width === 0 || header.height === 0) throw zeroSized(file, header);
  let seenData = false;
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const type = latin1(bytes, offset + 4, offset + 8);
    if (type === "IEND") {
      if (!seenData) throw truncated(file, "PNG without image data");
      return header;
    }
    seenData ||= type === "IDAT";
    offset += 12 + data.getUint32(offset);
  }
  throw truncated(file, "PNG ends before its IEND chunk");
}

// Start-of-frame markers hold the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Whether FF D9 (end of image) occurs at or after `from`. */
function hasEndOfImage(bytes: Uint8Array, from: number): boolean {
  for (
    let i = bytes.indexOf(0xff, from);
    i >= 0 && i + 1 < bytes.length;
    i = bytes.indexOf(0xff, i + 1)
  )
    if (bytes[i + 1] === 0xd9) return true;
  return false;
}

/**
 * Walk the segments up to the first scan; the frame header gives the size, and a complete JPEG has an EOI
 * marker after the scan data.
 */
function readJpegHeader(bytes: Uint8Array, file: string): ImageHeader {
  const data = view(bytes);
  let size: { width: number; height: number } | undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw truncated(file, `JPEG segment expected at byte ${offset}`);
    const marker = bytes[offset + 1];
    // 0xFF fill bytes and parameterless markers (TEM, RSTn) carry no length.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9) break;
    const length = data.getUint16(offset + 2);
    const body = offset + 4;
    if (isStartOfFrame(marker) && length >= 7 && body + 5 <= bytes.length)
      size = { height: data.getUint16(body + 1), width: data.getUint16(body + 3) };
    if (marker === 0xda) {
      if (size === undefined) throw truncated(file, "JPEG scan before any frame header");
      if (size.width === 0 || size.height === 0) throw zeroSized(file, size);
      // Inside entropy-coded data every 0xFF is followed by 0x00 or a restart marker, so FF D9 is the real end.
      if (!hasEndOfImage(bytes, offset + 2 + length))
        throw truncated(file, "JPEG ends before its end-of-image marker");
      return { format: "jpeg", ...size };
    }
    offset += 2 + length;
  }
  throw truncated(file, "JPEG ends before its image data");
}
