/**
 * The tiny training in a child process (tests/helpers/train-child.ts), for tests that need a real second
 * process on a run folder, and waits on what it prints or on its exit.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** A child process training the tiny run in `runDir` (tests/helpers/train-child.ts). */
export function startChild(
  runDir: string,
  ...flags: string[]
): { child: ChildProcess; output: string[] } {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "tests/helpers/train-child.ts", runDir, ...flags],
    { cwd: ROOT, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  const output: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (text: string) => output.push(...text.split("\n")));
  child.stderr!.resume();
  return { child, output };
}

export function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")),
  );
}

export async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
