import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ReaderError } from "../lib/errors";

/**
 * How the scripts end: a failure prints its message (a reader's mistake needs no stack trace; a bug's
 * message still names it) and exits with status 1.
 */
export function runCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * The commit a measurement runs on, for its dated data file. A work tree with uncommitted changes (not
 * counting the paths in `written`, folders or globs: what the measuring job itself writes) is refused: a measurement
 * must name a commit anyone can check out. Outside a git checkout (a downloaded archive) it says so.
 */
export function projectCommit(written: string[] = []): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: path.join(__dirname, ".."), timeout: 10_000 })
      .toString()
      .trim();
  const others = ["--", ".", ...written.map((folder) => `:(exclude)${folder}`)];
  let changed: string[];
  let commit: string;
  try {
    changed = git("status", "--porcelain", ...others)
      .split("\n")
      .filter(Boolean);
    commit = git("rev-parse", "--short", "HEAD");
  } catch {
    return "unknown (not a git checkout)";
  }
  if (changed.length > 0)
    throw new ReaderError(
      `the work tree has uncommitted changes (${changed.length}, e.g. ${changed[0].trim().replace(/^\S+\s+/, "")}): commit ` +
        "them first, so that the measurement names the commit it ran on",
    );
  return commit;
}

/**
 * A new dated file in `dir`, `<kind>-<date>.json`, or `<kind>-<date>-2.json` and on when that name is
 * taken: a new measurement never overwrites an earlier one.
 */
export function newDatedFile(dir: string, kind: string, date: string): string {
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${kind}-${date}${n === 1 ? "" : `-${n}`}.json`);
    if (!fs.existsSync(file)) return file;
  }
}
