import { execFileSync } from "child_process";
import * as path from "path";

/**
 * How the scripts end: a failure prints its message (a reader's mistake needs no stack trace; a bug's
 * message still names it) and exits with status 1.
 */
export function runCommand(
  main: () => Promise<void>,
  /** Errors that have been shown already, e.g. an interrupted training's note. */
  alreadyShown: (error: unknown) => boolean = () => false,
): void {
  main().catch((error: unknown) => {
    if (!alreadyShown(error)) console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * The project's commit, with "+changes" when the work tree differs from it (for dated data files), not
 * counting the folders in `written`: what the measuring job itself writes there is not a change to the code
 * it ran.
 */
export function projectCommit(written: string[] = []): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: path.join(__dirname, ".."), timeout: 10_000 })
      .toString()
      .trim();
  const others = ["--", ".", ...written.map((folder) => `:(exclude)${folder}`)];
  try {
    const changed = git("status", "--porcelain", ...others) !== "";
    return git("rev-parse", "--short", "HEAD") + (changed ? "+changes" : "");
  } catch {
    return "unknown (not a git checkout)";
  }
}
