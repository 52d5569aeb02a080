/**
 * Files: errors that name a file and what to do about it, temporary names beside a target, and writing
 * results so that a crash or an interrupted kernel never leaves a half-written file or folder where a
 * later run would trust it (write beside the target, then rename: atomic on one filesystem).
 */
import * as fs from "fs";
import * as path from "path";

/**
 * Something is wrong with a file the reader gave or the project found: the message names the file, the
 * problem and, when there is one, what to do. Subclasses say which kind of file (dataset, photo).
 */
export class FileProblemError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly advice?: string,
  ) {
    super(`${file}: ${problem}${advice ? ` — ${advice}` : ""}`);
    this.name = "FileProblemError";
  }
}

let tempCounter = 0;

/**
 * A name beside `target` for writing before the rename into place: unique per process and call, and
 * ending in `.tmp` (ignored by git) so that nothing mistakes it for the real file.
 */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${Date.now()}-${++tempCounter}.tmp`;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    await fs.promises.writeFile(temp, data);
    await fs.promises.rename(temp, file);
  } finally {
    await fs.promises.rm(temp, { force: true });
  }
}

/**
 * Replace the folder `dir` with one holding exactly `files`. The old folder is moved to `<dir>.old` for the
 * instant between the two renames; `resolveAtomicDir` finds it if a crash happened right then.
 */
export async function writeDirAtomic(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  const temp = tempPathFor(dir);
  const old = `${dir}.old`;
  await fs.promises.mkdir(temp, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files))
      await fs.promises.writeFile(path.join(temp, name), data);
    await fs.promises.rm(old, { recursive: true, force: true });
    if (fs.existsSync(dir)) await fs.promises.rename(dir, old);
    await fs.promises.rename(temp, dir);
    await fs.promises.rm(old, { recursive: true, force: true });
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true });
  }
}

/** The folder written by `writeDirAtomic`, or its previous version if a crash interrupted the swap. */
export function resolveAtomicDir(dir: string): string | undefined {
  if (fs.existsSync(dir)) return dir;
  const old = `${dir}.old`;
  return fs.existsSync(old) ? old : undefined;
}
