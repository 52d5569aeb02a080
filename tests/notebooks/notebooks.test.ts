/**
 * What the executed notebooks must show. Two sets are checked: the ones committed in notebooks/ (an honest
 * run, whatever its profile) and, when NOTEBOOK_RUN_DIR is set (npm test sets it), the fresh smoke run.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runDirFor, runPaths } from "../../lib/paths";
import {
  allText,
  errorsIn,
  executionCountProblems,
  joined,
  Notebook,
  outputsOf,
  pngCount,
  readNotebook,
  TUTORIAL_NOTEBOOKS,
} from "../../scripts/notebook-checks";
import { PLOTLY_MIME } from "../helpers/plotly";

const ROOT = path.resolve(__dirname, "..", "..");
const EXPECTED = TUTORIAL_NOTEBOOKS;

/** Minimum number of PNG outputs in each notebook: every step shows the reader a picture. */
const MIN_PNGS: Record<string, number> = {
  "01-dataset": 1,
  "02-model": 1,
  "03-training": 1,
  "04-evaluation": 2,
  "05-montage": 5,
  // Eleven figures of steps, one per shipped example photo.
  "06-beyond": 11,
  // The page's screenshot.
  "07-browser": 1,
};

/** The checks on one set of executed notebooks; `skip` says why they cannot run (the suite then reports it). */
function checkNotebookSet(dir: string, label: string, skip: string | false = false) {
  const load = (name: string): Notebook => readNotebook(path.join(dir, `${name}.ipynb`));

  describe(`executed notebooks: ${label}`, { skip }, () => {
    it("are all there, executed, with no errors", () => {
      for (const name of EXPECTED) {
        const notebook = load(name);
        assert.deepEqual(errorsIn(notebook), [], `${name} has errors`);
        assert.deepEqual(
          executionCountProblems(notebook),
          [],
          `${name}: numbered as one run of every cell (scripts/number-executions.ts)`,
        );
        // Every notebook's last cell reports the tensors left over.
        const code = notebook.cells.filter((c) => c.cell_type === "code");
        const last = (code[code.length - 1].outputs ?? []).map((o) => joined(o.text)).join("");
        assert.match(
          last,
          /^tensors still allocated: 0$/m,
          `${name}: ran to the end and freed its tensors`,
        );
        assert.ok(outputsOf(notebook).length > 0, `${name} has no outputs`);
      }
    });

    it("say at the top which profile and backend produced them", () => {
      for (const name of EXPECTED) {
        const first = load(name).cells.find((c) => c.cell_type === "code");
        const text = (first?.outputs ?? []).map((o) => joined(o.text)).join("");
        assert.match(
          text,
          /^Profile {2}(full|quick|smoke): [\d,]+ training \/ [\d,]+ test images, \d+ epochs?/m,
          name,
        );
        assert.match(
          text,
          /^Backend {2}(native TensorFlow [\d.]+ \(@tensorflow\/tfjs-node\)|WebAssembly, \d+ threads?|plain JavaScript)/m,
          name,
        );
        assert.match(text, /^Machine {2}.+, \d+ cores, \d+ GiB, /m, `${name} names the machine`);
        assert.match(text, /^Profile .*README: "Run profiles"/m, `${name} says where to change it`);
      }
    });

    it("show their pictures", () => {
      for (const name of EXPECTED)
        assert.ok(
          pngCount(load(name)) >= MIN_PNGS[name],
          `${name}: ${pngCount(load(name))} PNG outputs`,
        );
      for (const name of ["03-training", "04-evaluation"]) {
        const chart = outputsOf(load(name)).find((o) => o.data?.[PLOTLY_MIME] !== undefined);
        assert.ok(chart, `${name} has a Plotly chart`);
        assert.ok(
          chart.data?.["image/png"],
          `${name}: the Plotly chart carries a PNG fallback in the same output`,
        );
      }
    });

    it("report the model's Keras parameter counts", () => {
      const text = allText(load("02-model"));
      for (const n of ["1,679,082", "1,677,674", "1,408"]) assert.ok(text.includes(n), n);
      assert.ok(!/>NO</.test(text), "every count matches Keras");
    });

    it("record one history entry per epoch", () => {
      const text = allText(load("03-training"));
      const profile = /Profile {2}\w+: [\d,]+ training \/ [\d,]+ test images, (\d+) epoch/.exec(
        text,
      );
      assert.ok(profile);
      const epochs = Number(profile[1]);
      const epochLines =
        text.match(
          /^Epoch +\d+\/\d+ · loss [\d.]+ · acc [\d.]+ · val_loss [\d.]+ · val_acc [\d.]+/gm,
        ) ?? [];
      // A reused run prints the lines it printed while training, too.
      assert.equal(
        epochLines.length,
        epochs,
        `${epochLines.length} epoch lines for ${epochs} epochs`,
      );
      const historyTable = outputsOf(load("03-training"))
        .map((o) => joined(o.data?.["text/html"] as string[] | undefined))
        .find((html) => html.includes(">val_acc<") && html.includes(">learning rate<"));
      assert.ok(historyTable, "the history table is shown");
      assert.equal(
        (historyTable.match(/<tr>/g) ?? []).length - 1,
        epochs,
        "one table row per epoch",
      );
    });

    it("classify the example images, choose the recipe on the validation split and test it once", () => {
      const text = allText(load("06-beyond"));
      assert.match(text, />top-1 right\?</);
      assert.match(text, /Measured: background grey level \d+, threshold \d+ grey levels/);
      assert.match(text, /PhotoError: my-photo\.jpg: /);
      // The selection and the spread, read from their dated files; the test set only in "Tested once".
      assert.match(
        text,
        /validation images held out of 60,000, full profile · data\/benchmarks\/recipe-selection-[\d-]+\.json: /,
      );
      assert.match(text, /^Chosen: .+, test images as they are/m);
      assert.match(
        text,
        /Measured in this run, on this machine.*MiniVGGNet \(article\)<.*DeeperVGG[^<]*, test images as they are/s,
      );
      assert.match(text, /mean ± standard deviation<.*\d\d\.\d\d% ± \d\.\d\d points/s);
      assert.match(text, /not measured here/);
    });

    it("print a classification report in scikit-learn's layout", () => {
      const text = allText(load("04-evaluation"));
      assert.match(text, /^ {14}precision {4}recall {2}f1-score {3}support$/m);
      assert.match(text, /^ {4}accuracy +\d\.\d\d +\d+$/m);
      assert.match(text, /^weighted avg( +\d\.\d\d){3} +\d+$/m);
      assert.match(text, /^ +ankle boot( +\d\.\d\d){3} +\d+$/m);
    });
  });
}

checkNotebookSet(path.join(ROOT, "notebooks"), "committed in notebooks/");

describe("committed notebooks carry no machine-specific paths", () => {
  it("mention no absolute paths of this checkout, /tmp or home directories", () => {
    for (const name of EXPECTED) {
      const raw = fs.readFileSync(path.join(ROOT, "notebooks", `${name}.ipynb`), "utf8");
      assert.ok(!raw.includes(ROOT), `${name} mentions ${ROOT}`);
      assert.ok(!/\/(tmp|root|home|usr)\//.test(raw), `${name} mentions a machine path`);
    }
  });
});

// The fresh smoke run: npm test executes the notebooks into NOTEBOOK_RUN_DIR before running these tests.
const runDir = process.env.NOTEBOOK_RUN_DIR ?? "";
const noRun = runDir
  ? false
  : "NOTEBOOK_RUN_DIR is not set (npm test sets it after executing the notebooks)";
checkNotebookSet(runDir, `this run (${runDir ? path.relative(ROOT, runDir) : "none"})`, noRun);
describe("files the smoke run wrote", { skip: noRun }, () => {
  it("plot.png and montage.png (384×384) in the smoke run's folder", () => {
    const run = runPaths(runDirFor("smoke"));
    for (const file of [
      run.plot,
      run.montage,
      run.history,
      path.join(run.model, "model.json"),
      path.join(run.model, "weights.bin"),
    ]) {
      assert.ok(fs.existsSync(file), file);
    }
    const png = fs.readFileSync(run.montage);
    assert.equal(png.readUInt32BE(16), 384);
    assert.equal(png.readUInt32BE(20), 384);
  });
});
