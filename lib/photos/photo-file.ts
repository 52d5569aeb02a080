/**
 * Reading a photo file safely, before any decoding: the format from its magic bytes, the size from the
 * PNG/JPEG header (so a 100000×100000 image is refused without allocating it), and completeness (libjpeg
 * and libpng quietly paint the missing part of a truncated file grey instead of failing). Every problem is
 * a PhotoError that names the file and says what to do.
 */
import { FileProblemError, readPlainFile, UnreadableFileError } from "../files";

/** What is wrong with a photo, naming the file and what to do about it. */
export class PhotoError extends FileProblemError {
  /** A photo problem always comes with advice. */
  declare readonly advice: string;

  constructor(file: string, problem: string, advice: string) {
    super(file, problem, advice);
  }
}

export type ImageFormat = "png" | "jpeg";

const FORMAT_ADVICE = "use a PNG or JPEG photo";

export const megapixels = (pixels: number) => `${(pixels / 1e6).toFixed(1)} megapixels`;

/**
 * The bytes of a photo, read as every supplied file is (`readPlainFile`: a FIFO, a device or a runaway
 * file is refused unread, a link is followed to a plain file), or a PhotoError saying what it is instead.
 */
export async function readPhotoFile(file: string, maxBytes: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = readPlainFile(file, { maxBytes });
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    const { code, size } = error.details;
    if (code === "ENOENT")
      throw new PhotoError(
        file,
        "does not exist",
        `check the path (relative paths start at ${process.cwd()})`,
      );
    if (size !== undefined)
      throw new PhotoError(
        file,
        `is ${(size / 1024 / 1024).toFixed(0)} MB, larger than the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit`,
        "save a smaller JPEG of it, or raise the maxFileBytes option",
      );
    if (code === "EISDIR")
      throw new PhotoError(
        file,
        "is a directory, not an image file",
        "give the path of a PNG or JPEG file inside it",
      );
    throw new PhotoError(
      file,
      error.problem,
      code === undefined
        ? "give the path of a PNG or JPEG file"
        : "check the path and its permissions",
    );
  }
  if (bytes.length === 0)
    throw new PhotoError(
      file,
      "is empty (0 bytes)",
      "the copy or download failed; copy the photo again",
    );
  return bytes;
}

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Format and size from the first bytes; throws a PhotoError for anything but a complete PNG or JPEG. */
export function readImageHeader(bytes: Uint8Array, file: string): ImageHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length === 0)
    throw new PhotoError(
      file,
      "is empty (0 bytes)",
      "the copy or download failed; copy the photo again",
    );
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return readPngHeader(buffer, file);
  if (buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff)
    return readJpegHeader(buffer, file);
  throw new PhotoError(
    file,
    `is not a PNG or JPEG image (${describeContent(buffer)})`,
    FORMAT_ADVICE,
  );
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A guess at what the file is instead, so the message can say "it is a GIF" rather than just "unsupported". */
function describeContent(buffer: Buffer): string {
  const ascii = buffer.subarray(0, 16).toString("latin1");
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
  const sample = buffer.subarray(0, 512);
  const printable = sample.filter(
    (b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128,
  ).length;
  return printable === sample.length
    ? "it looks like text"
    : `its first bytes are ${[...buffer.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`;
}

const truncated = (file: string, what: string) =>
  new PhotoError(
    file,
    `is truncated or damaged (${what})`,
    "the copy or download was interrupted; copy the photo again",
  );

/** IHDR for the size, then a walk over the chunks: a complete PNG ends with IEND. */
function readPngHeader(buffer: Buffer, file: string): ImageHeader {
  if (buffer.length < 33 || buffer.toString("latin1", 12, 16) !== "IHDR")
    throw truncated(file, "PNG without an IHDR header");
  const header: ImageHeader = {
    format: "png",
    width: buffer.readUInt32BE(16),
    height: buffer.readUInt32BE(20),
  };
  if (header.width === 0 || header.height === 0)
    throw new PhotoError(
      file,
      `claims to be ${header.width}×${header.height} pixels`,
      FORMAT_ADVICE,
    );
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
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * Walk the segments up to the first scan; the frame header gives the size, and a complete JPEG has an EOI
 * marker after the scan data.
 */
function readJpegHeader(buffer: Buffer, file: string): ImageHeader {
  let size: { width: number; height: number } | undefined;
  let offset = 2;
  while (offset + 4 <= buffer.length) {
    if (buffer[offset] !== 0xff) throw truncated(file, `JPEG segment expected at byte ${offset}`);
    const marker = buffer[offset + 1];
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
    const length = buffer.readUInt16BE(offset + 2);
    const body = buffer.subarray(offset + 4, offset + 2 + length);
    if (isStartOfFrame(marker) && body.length >= 5)
      size = { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
    if (marker === 0xda) {
      if (size === undefined) throw truncated(file, "JPEG scan before any frame header");
      if (size.width === 0 || size.height === 0)
        throw new PhotoError(
          file,
          `claims to be ${size.width}×${size.height} pixels`,
          FORMAT_ADVICE,
        );
      // Inside entropy-coded data every 0xFF is followed by 0x00 or a restart marker, so FF D9 is the real end.
      if (buffer.indexOf(JPEG_EOI, offset + 2 + length) < 0)
        throw truncated(file, "JPEG ends before its end-of-image marker");
      return { format: "jpeg", ...size };
    }
    offset += 2 + length;
  }
  throw truncated(file, "JPEG ends before its image data");
}

const JPEG_EOI = Buffer.from([0xff, 0xd9]);
