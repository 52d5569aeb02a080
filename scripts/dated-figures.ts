/**
 * A measurement's dated data file in data/benchmarks/ (`<kind>-<date>.json`, never over an earlier one),
 * with the date, the commit it ran on (a work tree with uncommitted changes is refused, but for the paths
 * in `written`: what the measuring job itself writes) and the machine.
 */
import { writeFileAtomic } from "../lib/files";
import { BENCHMARKS_DIR } from "../lib/paths";
import { describeMachine } from "../lib/session";
import { newDatedFile, projectCommit } from "./command";

export async function writeDatedFigures(
  kind: string,
  figures: object,
  written: string[] = [],
): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  const commit = projectCommit(written);
  const file = newDatedFile(BENCHMARKS_DIR, kind, date);
  const record = { date, commit, machine: describeMachine(), ...figures };
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
