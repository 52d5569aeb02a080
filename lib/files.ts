/**
 * Files: reading what the reader supplies safely, temporary names beside a target, and writing
 * results so that a crash or an interrupted kernel never leaves a half-written file or folder where a
 * later run would trust it (write beside the target, then rename: atomic on one filesystem).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FileProblemError } from "./errors";

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

/**
 * `mkdir -p`: `dir` and any missing parents. A failure names its real cause: Node's own recursive mkdir
 * reports a read-only disk (EROFS) or a forbidden parent as ENOENT, "no such file or directory".
 */
export async function makeDirs(dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const missing: string[] = [];
    for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
    // One level at a time, the first failure is the one that says why.
    for (const d of missing)
      await fs.promises.mkdir(d).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
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

/** Larger than any JSON file the project keeps beside its data (measurements, references). */
export const DATA_JSON_MAX_BYTES = 4 * 2 ** 20;

/** How a file the project reads may look: a bound on its size, and whether a symbolic link is refused. */
export interface PlainFileLimits {
  /** Refused above this many bytes: a runaway file must not fill the memory. */
  maxBytes: number;
  /** Refused unless it holds exactly this many bytes (a saved model's weights, say). */
  exactBytes?: number;
  /** Refuse a symbolic link even to a plain file (the files a run writes are never links). */
  noLinks?: boolean;
}

/**
 * Why a file cannot be read as a plain file, in words that fit after its name ("is a named pipe (FIFO),
 * not a plain file"); `code` is the system's error code where there was one (ENOENT, EACCES, ...), and
 * `size` the file's size where that was what refused it.
 */
export class UnreadableFileError extends Error {
  constructor(
    readonly problem: string,
    readonly details: { code?: string; size?: number } = {},
  ) {
    super(problem);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice()) return "a character device (such as /dev/zero)";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a plain file";
}

/**
 * The bytes of `file`, the one way the project reads a file that a reader, a download or a run folder
 * supplied. It is opened without blocking (a FIFO would wait for a writer for ever) and checked on the open
 * file, so nothing can be swapped in between: a plain file (a link is followed to one, unless `noLinks`),
 * of a size within `limits`, read no further than the size it had. Anything else throws an
 * UnreadableFileError saying what the file is; callers turn it into their own error with their advice.
 */
export function readPlainFile(file: string, limits: PlainFileLimits): Buffer {
  let link = false;
  let fd: number;
  try {
    link = fs.lstatSync(file).isSymbolicLink();
    const noFollow = limits.noLinks ? fs.constants.O_NOFOLLOW : 0;
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | noFollow);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UnreadableFileError("does not exist", { code });
    if (code === "ELOOP" && link)
      throw new UnreadableFileError("is a symbolic link, not a plain file", { code });
    throw new UnreadableFileError(`cannot be read (${(error as Error).message})`, { code });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new UnreadableFileError(
        `is ${link ? `a symbolic link to ${kindOf(stat)}` : kindOf(stat)}, not a plain file`,
        // A folder gets the system's own code for reading one, so callers can tell it apart.
        { code: stat.isDirectory() ? "EISDIR" : undefined },
      );
    const { size } = stat;
    if (limits.exactBytes !== undefined && size !== limits.exactBytes)
      throw new UnreadableFileError(`holds ${size} bytes instead of ${limits.exactBytes}`, {
        size,
      });
    if (size > limits.maxBytes)
      throw new UnreadableFileError(
        `holds ${size} bytes, more than the ${limits.maxBytes} such a file can hold`,
        { size },
      );
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < bytes.length) {
      const n = fs.readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === bytes.length ? bytes : bytes.subarray(0, read);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`cannot be read (${(error as Error).message})`, {
      code: (error as NodeJS.ErrnoException).code,
    });
  } finally {
    fs.closeSync(fd);
  }
}

/** `readPlainFile` as UTF-8 text. */
export function readPlainText(file: string, limits: PlainFileLimits): string {
  return readPlainFile(file, limits).toString("utf8");
}

/**
 * Move `file` out of the way, beside itself, as `<file>.<reason>` (`.2`, `.3`, ... after it when that name
 * is taken), and return the new name. Never overwrites: the new name is made with a hard link, which fails
 * on an existing name, before the old one is removed. (A folder, which cannot be linked, is renamed to a
 * name that does not exist.)
 */
export function setAside(file: string, reason: string): string {
  for (let n = 1; ; n++) {
    const aside = `${file}.${reason}${n === 1 ? "" : `.${n}`}`;
    if (fs.lstatSync(aside, { throwIfNoEntry: false }) !== undefined) continue;
    try {
      fs.linkSync(file, aside);
      fs.unlinkSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code !== "EPERM" && code !== "ENOTSUP") throw error;
      fs.renameSync(file, aside);
    }
    return aside;
  }
}

/**
 * A new folder in the system's temporary folder that only this user can enter (mkdtemp: a fresh name no
 * one can guess or plant a link at beforehand, mode 0700). Every temporary file outside the project goes
 * in one: a fixed name in a shared /tmp could be a link planted by another user.
 */
export function privateTempDir(purpose: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `fmnist-${purpose}-`));
}

/** Run `use` with a private temporary folder (`privateTempDir`), removed afterwards whatever happens. */
export function withPrivateTempDir<T>(purpose: string, use: (dir: string) => T): T {
  const dir = privateTempDir(purpose);
  try {
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
      await makeDirs(path.dirname(file));
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
      await makeDirs(temp);
      for (const [name, data] of Object.entries(files)) {
        await fs.promises.mkdir(path.dirname(path.join(temp, name)), { recursive: true });
        await fs.promises.writeFile(path.join(temp, name), data);
      }
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

/**
 * The dated measurement files `<kind>-<YYYY-MM-DD>[-n].json` in `dir`, oldest first (by date, then n): a
 * measurement is never written over, so the newest is the last.
 */
export function datedFiles(dir: string, kind: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const pattern = new RegExp(`^${kind}-(\\d{4}-\\d{2}-\\d{2})(?:-(\\d+))?\\.json$`);
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map((f) => ({ name: f.name, date: f.match[1], n: Number(f.match[2] ?? 1) }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.n - b.n)
    .map((f) => path.join(dir, f.name));
}
