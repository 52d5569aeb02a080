/**
 * A measurement's dated data file in data/benchmarks/ (`<kind>-<date>.json`, never over an earlier one),
 * with the date, the commit it ran on (a work tree with uncommitted changes is refused) and the machine.
 */
import { writeFileAtomic } from "../lib/files";
import { BENCHMARKS_DIR } from "../lib/paths";
import { describeMachine } from "../lib/session";
import { newDatedFile, projectCommit } from "./command";

export async function writeDatedFigures(kind: string, figures: object): Promise<string> {
  const date = new Date().toISOString().slice(0, 10);
  const file = newDatedFile(BENCHMARKS_DIR, kind, date);
  const record = { date, commit: projectCommit(), machine: describeMachine(), ...figures };
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
