/** scripts/number-executions.ts: the counts a headless run leaves out, and nothing else changed. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { notebookJson, numberExecutions } from "../../scripts/number-executions";
import { executionCountProblems, type Notebook } from "../../scripts/notebook-checks";

const ROOT = path.resolve(__dirname, "..", "..");

function unnumbered(): Notebook {
  return {
    metadata: {},
    cells: [
      { cell_type: "markdown", source: "# Title" },
      { cell_type: "code", source: "const a = 1;", execution_count: null, outputs: [] },
      { cell_type: "code", source: ["  \n"], execution_count: null, outputs: [] },
      {
        cell_type: "code",
        source: "a + 1",
        execution_count: null,
        outputs: [
          { output_type: "stream", name: "stdout", text: "x\n" },
          { output_type: "execute_result", execution_count: null, data: { "text/plain": "2" } },
        ],
      },
    ],
  };
}

describe("numberExecutions", () => {
  it("numbers the code cells a run executes 1..n, skipping blank ones, and their results alike", () => {
    const notebook = unnumbered();
    assert.equal(executionCountProblems(notebook).length, 3);
    numberExecutions(notebook);
    assert.deepEqual(
      notebook.cells.map((c) => c.execution_count),
      [undefined, 1, null, 2],
    );
    assert.equal(notebook.cells[3].outputs?.[1].execution_count, 2);
    assert.deepEqual(executionCountProblems(notebook), []);
  });

  it("writes the committed notebooks back byte for byte, apart from the counts", () => {
    for (const file of fs
      .readdirSync(path.join(ROOT, "notebooks"))
      .filter((f) => f.endsWith(".ipynb"))) {
      const raw = fs.readFileSync(path.join(ROOT, "notebooks", file), "utf8");
      const notebook = JSON.parse(raw) as Notebook;
      assert.equal(notebookJson(notebook), raw, `${file}: nbformat's layout`);
      const numbered = notebookJson(numberExecutions(notebook));
      const strip = (text: string) => text.replace(/"execution_count": (null|\d+)/g, "");
      assert.equal(strip(numbered), strip(raw), `${file}: only execution counts differ`);
    }
  });
});
