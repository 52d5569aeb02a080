/**
 * Give headlessly executed notebooks the execution counts any executed notebook shows: tslab announces no
 * count while a cell runs (no `execute_input` message) and nbconvert numbers cells only from those
 * messages, so without this every cell reads `[ ]:`. The executable code cells are numbered 1..n in order,
 * as one run of every cell would number them, and `execute_result` outputs carry their cell's number.
 * Each file is replaced atomically, byte for byte as nbconvert writes it apart from the counts.
 *
 *   npx ts-node --transpile-only scripts/number-executions.ts notebooks/03-training.ipynb ...
 */
import * as fs from "fs";
import { writeFileAtomic } from "../lib/files";
import { isExecutable, type Notebook } from "./notebook-checks";

/** The notebook with its counts set (the object is changed in place and returned). */
export function numberExecutions(notebook: Notebook): Notebook {
  let count = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    const number = isExecutable(cell) ? ++count : null;
    cell.execution_count = number;
    for (const output of cell.outputs ?? [])
      if (output.output_type === "execute_result") output.execution_count = number;
  }
  return notebook;
}

/** nbformat's layout: one-space indentation, non-ASCII as is, and a final newline. */
export const notebookJson = (notebook: Notebook): string =>
  JSON.stringify(notebook, null, 1) + "\n";

async function main(files: string[]): Promise<void> {
  for (const file of files) {
    const notebook = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
    await writeFileAtomic(file, notebookJson(numberExecutions(notebook)));
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`number-executions: ${error.message}`);
    process.exit(1);
  });
}
