/**
 * One run per run folder. Two trainings writing the same checkpoint (two terminals, a notebook and
 * `npm run train`, or a cell started twice in one kernel) would interleave their epochs and overwrite each
 * other's files, so a training holds `<run folder>/run.lock` while it runs: a file naming its process,
 * host, start time and command, created atomically (a complete file is linked into place, which fails if
 * one is there). A lock whose process is gone (crashed, killed, or the machine restarted since) is taken over
 * with a note, so it can never block the folder for good; one held in this very process is refused with its
 * own message. The lock records the machine's boot id and its process's start time, so that a process id
 * reused after a reboot, or by another program, is not mistaken for the run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FileProblemError, ReaderError } from "../errors";
import { makeDirs, processIsAlive, readPlainText, tempPathFor, WriteError } from "../files";
import { PROJECT_ROOT, projectRelative } from "../paths";
import { interruptPending } from "./interrupt";

export const LOCK_FILE = "run.lock";

/** Who holds a run folder, as written in its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the run started. */
  started: string;
  command: string;
  /** The Linux boot id of the machine the run started on (absent elsewhere). */
  bootId?: string;
  /** When its process started, in clock ticks since boot (/proc/<pid>/stat; absent elsewhere). */
  processStart?: string;
}

/** The run folder is in use by another run; the message names the holder and what to do. */
export class RunBusyError extends ReaderError {}

export interface RunLock {
  /** The lock file. */
  file: string;
  /** Set when a stale lock was taken over: what it said, for the reader. */
  takeoverNote?: string;
  /**
   * Throw a RunBusyError if the lock file no longer names this run (deleted or replaced by someone
   * else): another run may be writing the folder, and this one must not write over it. `before` says
   * what was about to be written.
   */
  checkHeld(before: string): void;
  release(): Promise<void>;
}

/** A run folder locked by this process, and whether its training may still write to it. */
interface HeldHere {
  holder: LockHolder;
  stillTraining: () => boolean;
}

/** Run folders locked by this process (tslab re-evaluates modules, so this lives on globalThis). */
const heldHere: Map<string, HeldHere> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("fashion-mnist.run-locks")
] ??= new Map<string, HeldHere>()) as Map<string, HeldHere>;

/** How long a new start waits for an interrupted training of this process to end its step. */
const STOPPING_WAIT_MS = 120_000;

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

/** Larger than any lock file: a lock that is a device or a runaway file is damaged, never read whole. */
const MAX_LOCK_BYTES = 64 * 1024;

/** The holder a lock file names, or undefined when it is damaged (not JSON, not a plain file, ...). */
function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(
      readPlainText(file, { maxBytes: MAX_LOCK_BYTES, noLinks: true }),
    ) as LockHolder;
    return Number.isSafeInteger(holder.pid) && typeof holder.host === "string" ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** This machine's boot id: it changes at every restart. */
function currentBootId(): string | undefined {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** When process `pid` started (field 22 of /proc/<pid>/stat), or undefined where that cannot be read. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Why a lock no longer protects anything, or undefined when its run may still be going. */
function staleReason(holder: LockHolder | undefined): string | undefined {
  if (holder === undefined) return "it is damaged";
  if (holder.host !== os.hostname()) return undefined;
  const bootId = currentBootId();
  if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId)
    return `its run (${describeHolder(holder)}) started before this machine last restarted`;
  if (holder.pid === process.pid) return "it was left by an earlier run in this process";
  if (!processIsAlive(holder.pid)) return `its run (${describeHolder(holder)}) is gone`;
  const start = processStartOf(holder.pid);
  if (holder.processStart !== undefined && start !== undefined && start !== holder.processStart)
    return (
      `its run (${describeHolder(holder)}) is gone: process ${holder.pid} is now another program ` +
      "(the id was reused)"
    );
  return undefined;
}

/** The message for a lock that is not stale: who holds it, and what the reader can do. */
function busyMessage(dir: string, file: string, holder: LockHolder): string {
  const lock = `(lock file ${projectRelative(file)})`;
  if (holder.host !== os.hostname()) {
    return (
      `${projectRelative(dir)} is in use by a run on another machine: ${describeHolder(holder)} ${lock}; ` +
      `this machine (${os.hostname()}) cannot check whether that run is still going. ` +
      "If it is not (or the folder was copied from there), delete the lock file"
    );
  }
  return (
    `${projectRelative(dir)} is in use by another run: ${describeHolder(holder)} ${lock}. ` +
    "Wait for it to finish or stop it; if no such run is going any more, delete the lock file"
  );
}

/** Who holds the lock of run folder `dir` now, or undefined when nothing (alive) does. */
export function liveLockHolder(dir: string): LockHolder | undefined {
  const file = path.join(dir, LOCK_FILE);
  if (!fs.existsSync(file)) return undefined;
  const holder = readHolder(file);
  return staleReason(holder) === undefined ? holder : undefined;
}

/**
 * Delete the run folders in `parent` (its subfolders), refusing — before deleting any — when one of them
 * is locked by a live run: a run being trained keeps its lock, checkpoint and results.
 */
export async function removeRunFolders(parent: string): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(parent, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => path.join(parent, e.name));
  const busy = dirs.flatMap((dir) => {
    const holder = liveLockHolder(dir);
    return holder ? [busyMessage(dir, path.join(dir, LOCK_FILE), holder)] : [];
  });
  if (busy.length > 0)
    throw new RunBusyError(`not deleting ${projectRelative(parent)}: ${busy.join("; ")}`);
  for (const dir of dirs) await fs.promises.rm(dir, { recursive: true, force: true });
}

/**
 * Take the run folder `dir` for this process, or throw a RunBusyError naming who has it. Creating the
 * folder and the lock file is also the first write of a run, so a folder that cannot be written is
 * reported here, before any training.
 */
export async function acquireRunLock(
  dir: string,
  stillTraining: () => boolean = () => true,
): Promise<RunLock> {
  const key = path.resolve(dir);
  const file = path.join(dir, LOCK_FILE);
  await endedHere(dir, key);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    command: commandLine(),
    bootId: currentBootId(),
    processStart: processStartOf(process.pid),
  };
  let takeoverNote: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLockFile(dir, file, holder)) {
      heldHere.set(key, { holder, stillTraining });
      return {
        file,
        takeoverNote,
        checkHeld: (before) => checkHeld(dir, file, holder, before),
        release: () => releaseLock(key, file, holder),
      };
    }
    const current = readHolder(file);
    const reason = staleReason(current);
    if (reason === undefined) {
      throw new RunBusyError(busyMessage(dir, file, current!));
    }
    if (takeOver(file, current)) {
      takeoverNote = `Took over ${projectRelative(file)}: ${reason}.`;
    }
  }
  throw new RunBusyError(
    `${projectRelative(dir)}: other runs keep taking its lock file ${projectRelative(file)}; try again`,
  );
}

/**
 * Settle a lock this process holds on `dir` already: one whose training has ended without releasing it
 * (it failed inside fit) is released; one whose training was interrupted and is finishing its step is
 * waited for (a reader running the cell again at once); one still training is a RunBusyError.
 */
async function endedHere(dir: string, key: string): Promise<void> {
  const waitUntil = Date.now() + STOPPING_WAIT_MS;
  for (;;) {
    const here = heldHere.get(key);
    if (here === undefined) return;
    if (!here.stillTraining()) {
      await releaseLock(key, path.join(dir, LOCK_FILE), here.holder);
      return;
    }
    if (!interruptPending() || Date.now() > waitUntil) {
      throw new RunBusyError(
        `${projectRelative(dir)} is already being trained in this process (since ${here.holder.started}); ` +
          "wait for that training to finish, or interrupt it (Jupyter: Kernel → Interrupt; terminal: Ctrl-C), " +
          "before starting it again",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Link a complete lock file into place; false when one is there already. */
async function createLockFile(dir: string, file: string, holder: LockHolder): Promise<boolean> {
  const temp = tempPathFor(file);
  try {
    await makeDirs(dir);
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

function checkHeld(dir: string, file: string, holder: LockHolder, before: string): void {
  const current = readHolder(file);
  if (JSON.stringify(current) === JSON.stringify(holder)) return;
  const now = current ? `it now names ${describeHolder(current)}` : "it is gone";
  throw new RunBusyError(
    `${projectRelative(dir)}: its lock file ${projectRelative(file)} was removed or replaced while this ` +
      `run trained (${now}), so another run may be writing the folder; stopped before ${before}. ` +
      "Once no other run uses the folder, run this one again: it resumes from its last checkpoint",
  );
}

async function releaseLock(key: string, file: string, holder: LockHolder): Promise<void> {
  heldHere.delete(key);
  if (JSON.stringify(readHolder(file)) === JSON.stringify(holder))
    await fs.promises.rm(file, { force: true });
}
