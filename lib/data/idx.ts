/**
 * The IDX file format used by MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header — two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
 * then one uint32 per dimension — followed by the raw data.
 */
import { FileProblemError } from "../errors";

/** Magic numbers as a big-endian uint32: 0x00000801 (labels, 1-D) and 0x00000803 (images, 3-D). */
export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_MAGIC = 2051;

const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  /** Sizes of each dimension, outermost first, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The payload, a view into the file's bytes (no copy). */
  data: Uint8Array;
}

/** A dataset file that cannot be used: names the file, what is wrong with it and, where known, what to do. */
export class DataFileError extends FileProblemError {
  constructor(file: string, problem: string, advice?: string) {
    super(file, problem, advice);
  }
}

/**
 * Parse an unsigned-byte IDX file and check that its header matches what we expect and the file's size
 * exactly: a header that promises more (or less) data than the file holds means the file is damaged.
 */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, file: string): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.length >= 4 ? view.getUint32(0, false) : -1;
  if (magic !== expectedMagic) {
    const kind = expectedMagic === IDX_IMAGES_MAGIC ? "an images" : "a labels";
    const found =
      magic < 0
        ? `only ${bytes.length} bytes`
        : `wrong magic number ${magic} (0x${magic.toString(16).padStart(8, "0")})`;
    throw new DataFileError(file, `${found}, expected ${expectedMagic}: not ${kind} IDX file`);
  }
  const expectedRank = expectedMagic & 0xff;
  const headerSize = 4 + 4 * expectedRank;
  if (bytes.length < headerSize) {
    throw new DataFileError(
      file,
      `only ${bytes.length} bytes, too short for an IDX header (${headerSize} bytes)`,
    );
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new DataFileError(
      file,
      `IDX data type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < expectedRank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const payload = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerSize + payload) {
    throw new DataFileError(
      file,
      `header says ${dims.join("×")} = ${payload} data bytes, but the file holds ${bytes.length - headerSize}`,
      "the file is truncated or damaged",
    );
  }
  return { dims, data: bytes.subarray(headerSize) };
}
