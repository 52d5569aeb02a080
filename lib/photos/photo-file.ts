/**
 * Reading a photo file in Node as every supplied file is read (image-header.ts then checks its bytes). Every
 * problem is a PhotoError that names the file and says what to do.
 */
import { readPlainFile, UnreadableFileError } from "../files";
import { emptyPhoto, PhotoError, photoTooLarge } from "./image-header";

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
    if (size !== undefined) throw photoTooLarge(file, size, maxBytes);
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
  if (bytes.length === 0) throw emptyPhoto(file);
  return bytes;
}
