/**
 * One run per run folder. Two trainings writing the same checkpoint (two terminals, a notebook and
 * `npm run train`, or a cell started twice in one kernel) would interleave their epochs and overwrite each
 * other's files, so a training holds `<run folder>/run.lock` while it runs: a file naming its process,
 * host, start time and command, created atomically (a complete file is linked into place, which fails if
 * one is there). A lock whose process is gone (crashed, killed) is taken over with a note, so it can never
 * block the folder for good; one held in this very process is refused with its own message.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FileProblemError, processIsAlive, tempPathFor, WriteError } from "../files";
import { PROJECT_ROOT, projectRelative } from "../paths";

export const LOCK_FILE = "run.lock";

/** Who holds a run folder, as written in its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the run started. */
  started: string;
  command: string;
}

/** The run folder is in use by another run; the message names the holder and what to do. */
export class RunBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunBusyError";
  }
}

export interface RunLock {
  /** The lock file. */
  file: string;
  /** Set when a stale lock was taken over: what it said, for the reader. */
  takeoverNote?: string;
  release(): Promise<void>;
}

/** Run folders locked by this process (tslab re-evaluates modules, so this lives on globalThis). */
const heldHere: Map<string, LockHolder> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("fashion-mnist.run-locks")
] ??= new Map<string, LockHolder>()) as Map<string, LockHolder>;

function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host}, started ${holder.started}, command "${holder.command}"`;
}

/** This process's command line, paths shortened to the project ("node scripts/train.ts"). */
function commandLine(): string {
  return process.argv
    .map((arg) => projectRelative(arg).replace(PROJECT_ROOT + path.sep, ""))
    .map((arg) => (path.isAbsolute(arg) ? path.basename(arg) : arg))
    .join(" ");
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
    return Number.isSafeInteger(holder.pid) && typeof holder.host === "string" ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Why a lock no longer protects anything, or undefined when its run may still be going. */
function staleReason(holder: LockHolder | undefined): string | undefined {
  if (holder === undefined) return "it is damaged";
  if (holder.host !== os.hostname()) return undefined;
  if (holder.pid === process.pid) return "it was left by an earlier run in this process";
  return processIsAlive(holder.pid) ? undefined : `its run (${describeHolder(holder)}) is gone`;
}

/**
 * Take the run folder `dir` for this process, or throw a RunBusyError naming who has it. Creating the
 * folder and the lock file is also the first write of a run, so a folder that cannot be written is
 * reported here, before any training.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  const key = path.resolve(dir);
  const file = path.join(dir, LOCK_FILE);
  const here = heldHere.get(key);
  if (here !== undefined) {
    throw new RunBusyError(
      `${projectRelative(dir)} is already being trained in this process (since ${here.started}); ` +
        "wait for that training to finish, or interrupt it (Jupyter: Kernel → Interrupt; terminal: Ctrl-C), " +
        "before starting it again",
    );
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    command: commandLine(),
  };
  let takeoverNote: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLockFile(dir, file, holder)) {
      heldHere.set(key, holder);
      return { file, takeoverNote, release: () => releaseLock(key, file, holder) };
    }
    const current = readHolder(file);
    const reason = staleReason(current);
    if (reason === undefined) {
      throw new RunBusyError(
        `${projectRelative(dir)} is in use by another run: ${describeHolder(current!)} ` +
          `(lock file ${projectRelative(file)}). Wait for it to finish or stop it; ` +
          "if no such run is going any more, delete the lock file",
      );
    }
    if (takeOver(file, current)) {
      takeoverNote = `Took over ${projectRelative(file)}: ${reason}.`;
    }
  }
  throw new RunBusyError(
    `${projectRelative(dir)}: other runs keep taking its lock file ${projectRelative(file)}; try again`,
  );
}

/** Link a complete lock file into place; false when one is there already. */
async function createLockFile(dir: string, file: string, holder: LockHolder): Promise<boolean> {
  const temp = tempPathFor(file);
  try {
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.writeFile(temp, JSON.stringify(holder, null, 1));
    await fs.promises.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    if (error instanceof FileProblemError) throw error;
    throw new WriteError(dir, error);
  } finally {
    await fs.promises.rm(temp, { force: true }).catch(() => {});
  }
}

/**
 * Move a stale lock out of the way. Two processes may judge the same lock stale at once; the one whose
 * rename moves a different (fresh) lock puts it back and tries again.
 */
function takeOver(file: string, stale: LockHolder | undefined): boolean {
  const moved = tempPathFor(file);
  try {
    fs.renameSync(file, moved);
  } catch {
    return false;
  }
  if (JSON.stringify(readHolder(moved)) !== JSON.stringify(stale)) {
    try {
      fs.linkSync(moved, file);
    } catch {
      // Someone else has created a lock in the meantime; theirs stands.
    }
    fs.rmSync(moved, { force: true });
    return false;
  }
  fs.rmSync(moved, { force: true });
  return true;
}

async function releaseLock(key: string, file: string, holder: LockHolder): Promise<void> {
  heldHere.delete(key);
  if (JSON.stringify(readHolder(file)) === JSON.stringify(holder))
    await fs.promises.rm(file, { force: true });
}
