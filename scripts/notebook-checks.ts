/**
 * Checks on an executed notebook, shared by the run script (fail fast with the real error message) and the
 * CI test (what each notebook must show).
 */
import * as fs from "fs";

export interface NotebookOutput {
  output_type: string;
  execution_count?: number | null;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: NotebookOutput[];
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
}

/** The tutorial's notebooks, in reading order (notebooks/<name>.ipynb). */
export const TUTORIAL_NOTEBOOKS = [
  "01-dataset",
  "02-model",
  "03-training",
  "04-evaluation",
  "05-montage",
  "06-beyond",
  "07-browser",
] as const;

export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
}

export const joined = (text: string | string[] | undefined): string =>
  Array.isArray(text) ? text.join("") : (text ?? "");

export function outputsOf(notebook: Notebook): NotebookOutput[] {
  return notebook.cells.flatMap((cell) => cell.outputs ?? []);
}

/** Whether stderr text is tslab's report of a compile error (`3:7 - ...`) or an exception (a stack trace). */
export function isErrorReport(stderr: string): boolean {
  return /^\d+:\d+ - |\.ts \d+:\d+ - |Error: |^\s+at /m.test(stderr);
}

/**
 * The errors a run left: error outputs, and stderr output that is tslab's compile or runtime error report
 * (under nbconvert tslab's error output carries no message; the message is on stderr).
 */
export function errorsIn(notebook: Notebook): string[] {
  const errors: string[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      const stderr =
        output.output_type === "stream" && output.name === "stderr" ? joined(output.text) : "";
      if (output.output_type === "error") {
        errors.push(`cell ${index}: ${output.ename ?? "Error"}: ${output.evalue ?? ""}`);
      } else if (isErrorReport(stderr)) {
        errors.push(`cell ${index} (stderr): ${stderr.trim()}`);
      }
    }
  });
  return errors;
}

/**
 * What no supported Node.js may print into a notebook: a process warning (a deprecation, say) or one of
 * TensorFlow's log records (scripts/other-nodes.sh checks the terminal for the same).
 */
const NOISE =
  /\(node:\d+\) \[?[A-Z]*\d*\]? ?[A-Za-z]*Warning|absl::InitializeLog|^[IWEF]\d{4} [\d:.]+ +\d+ /m;

/** The stream outputs that hold such noise, one line each (cell, then the first noisy line). */
export function noiseIn(notebook: Notebook): string[] {
  const found: string[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      const text = output.output_type === "stream" ? joined(output.text) : "";
      const line = text.split("\n").find((candidate) => NOISE.test(candidate));
      if (line !== undefined) found.push(`cell ${index}: ${line.slice(0, 160)}`);
    }
  });
  return found;
}

/** The pictures a notebook shows: PNG outputs, and JPEG ones (photographs). */
export function pngCount(notebook: Notebook): number {
  return outputsOf(notebook).filter(
    (output) =>
      output.data?.["image/png"] !== undefined || output.data?.["image/jpeg"] !== undefined,
  ).length;
}

export function allText(notebook: Notebook): string {
  return outputsOf(notebook)
    .map(
      (output) =>
        joined(output.text) +
        joined(output.data?.["text/plain"] as string | string[] | undefined) +
        joined(output.data?.["text/html"] as string | string[] | undefined),
    )
    .join("\n");
}

/** The cells a headless run executes: nbclient skips code cells whose source is blank. */
export const isExecutable = (cell: NotebookCell): boolean =>
  cell.cell_type === "code" && joined(cell.source).trim() !== "";

/**
 * What is wrong with a notebook's execution counts, as a run of every cell in order numbers them: the
 * executed code cells 1, 2, 3, ..., blank ones none, and each `execute_result` output its cell's number.
 */
export function executionCountProblems(notebook: Notebook): string[] {
  const problems: string[] = [];
  let next = 1;
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const expected = isExecutable(cell) ? next++ : null;
    if ((cell.execution_count ?? null) !== expected)
      problems.push(
        `cell ${index}: execution count ${cell.execution_count} instead of ${expected}`,
      );
    for (const output of cell.outputs ?? [])
      if (output.output_type === "execute_result" && output.execution_count !== expected)
        problems.push(`cell ${index}: execute_result numbered ${output.execution_count}`);
  });
  return problems;
}
