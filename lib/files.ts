/**
 * Files: errors that name a file and what to do about it, temporary names beside a target, and writing
 * results so that a crash or an interrupted kernel never leaves a half-written file or folder where a
 * later run would trust it (write beside the target, then rename: atomic on one filesystem).
 */
import * as fs from "fs";
import * as path from "path";
import { hideFields, ReaderError } from "./errors";

/**
 * Something is wrong with a file the reader gave or the project found: the message names the file, the
 * problem and, when there is one, what to do. Subclasses say which kind of file (dataset, photo).
 */
export class FileProblemError extends ReaderError {
  declare readonly file: string;
  declare readonly problem: string;
  declare readonly advice?: string;

  constructor(file: string, problem: string, advice?: string) {
    super(`${file}: ${problem}${advice ? ` — ${advice}` : ""}`);
    hideFields<FileProblemError>(this, { file, problem, advice });
  }
}

/** What to do about a failed write, by its error code. */
function writeAdvice(code: string | undefined): string {
  if (code === "ENOSPC" || code === "EDQUOT") return "free some disk space and run it again";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return "make that folder writable (or move the project to one that is) and run it again";
  return "check that folder and run it again";
}

/** A file or folder the project must write cannot be written: names it, the reason and what to do. */
export class WriteError extends FileProblemError {
  constructor(file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(file, `cannot be written (${(cause as Error).message})`, writeAdvice(code));
  }
}

/** Run `write`, turning a file-system error into a WriteError that names `target`. */
async function writing<T>(target: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof FileProblemError || (error as NodeJS.ErrnoException).code === undefined)
      throw error;
    throw new WriteError(target, error);
  }
}

/**
 * The text of `file`, refused (with an Error saying why) unless it is a plain file of at most `maxBytes`:
 * a FIFO would block the read for ever, a device or a runaway file fill the memory.
 */
export function readPlainText(file: string, maxBytes: number): string {
  const stat = fs.lstatSync(file);
  if (!stat.isFile()) throw new Error("it is not a plain file");
  if (stat.size > maxBytes) throw new Error(`it holds ${stat.size} bytes, more than ${maxBytes}`);
  return fs.readFileSync(file, "utf8");
}

let tempCounter = 0;

/**
 * A name beside `target` for writing before the rename into place: unique per process and call, and
 * ending in `.tmp` (ignored by git) so that nothing mistakes it for the real file. The process id in it
 * lets `removeStaleTemps` tell an abandoned one from one being written.
 */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${Date.now()}-${++tempCounter}.tmp`;
}

const TEMP_NAME = /\.(\d+)-\d+-\d+\.tmp$/;

/** Whether a process with this id runs on this machine (a process of another user counts). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Delete the temporary files and folders in `dir` that a killed or crashed process left behind (their
 * writer is gone); returns their names. Those of running processes, this one's included, are kept.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const writer = TEMP_NAME.exec(name);
    return writer !== null && !processIsAlive(Number(writer[1]));
  });
  for (const name of stale)
    await fs.promises.rm(path.join(dir, name), { recursive: true, force: true });
  return stale;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(file);
  try {
    await writing(file, async () => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(temp, data);
      await fs.promises.rename(temp, file);
    });
  } finally {
    // Where the write failed because the folder is unusable, so is the clean-up; the write's error counts.
    await fs.promises.rm(temp, { force: true }).catch(() => {});
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
  try {
    await writing(dir, async () => {
      await fs.promises.mkdir(temp, { recursive: true });
      for (const [name, data] of Object.entries(files))
        await fs.promises.writeFile(path.join(temp, name), data);
      // A crash between the two renames of an earlier write left only `<dir>.old`: it is the folder.
      if (!fs.existsSync(dir) && fs.existsSync(old)) await fs.promises.rename(old, dir);
      await fs.promises.rm(old, { recursive: true, force: true });
      if (fs.existsSync(dir)) await fs.promises.rename(dir, old);
      await fs.promises.rename(temp, dir);
      await fs.promises.rm(old, { recursive: true, force: true });
    });
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * The folder written by `writeDirAtomic`, or its previous version if a crash interrupted the swap. A
 * previous version beside the folder (a crash after the second rename) is of no use and is removed; a
 * writer at that same moment would remove it next.
 */
export function resolveAtomicDir(dir: string): string | undefined {
  if (fs.existsSync(dir)) {
    fs.rmSync(`${dir}.old`, { recursive: true, force: true });
    return dir;
  }
  const old = `${dir}.old`;
  return fs.existsSync(old) ? old : undefined;
}
