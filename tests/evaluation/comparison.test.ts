/** Notebook 6's comparison: rows from trained runs, the table, the sentences from its figures, the earlier recipes. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import { FASHION_MNIST_SHAPE } from "../../lib/data";
import {
  comparisonTable,
  describeComparison,
  earlierRecipesTable,
  reportedTable,
  trainedRow,
} from "../../lib/evaluation";
import { miniVGGNet } from "../../lib/model";
import { emptyHistory } from "../../lib/training/history";

describe("the comparison", () => {
  it("a trained row has its model's parameters, its run's epochs and median time per epoch", async () => {
    await initBackend();
    const model = miniVGGNet(FASHION_MNIST_SHAPE);
    const history = { ...emptyHistory(), loss: [1, 0.5, 0.4], seconds: [100, 300, 120] };
    const row = trainedRow("MiniVGGNet (article)", model, history, 0.9316);
    model.dispose();
    assert.deepEqual(row, {
      name: "MiniVGGNet (article)",
      accuracy: 0.9316,
      trained: { params: 1_679_082, epochs: 3, secondsPerEpoch: 120 },
    });
  });

  const rows = [
    {
      name: "article",
      accuracy: 0.9316,
      trained: { params: 1_679_082, epochs: 25, secondsPerEpoch: 70 },
    },
    {
      name: "improved",
      accuracy: 0.9394,
      trained: { params: 885_738, epochs: 40, secondsPerEpoch: 65 },
    },
    { name: "improved, mirrored", accuracy: 0.9415 },
  ];

  it("one table: params, epochs, one time column, test accuracy; a view of a model trains nothing", () => {
    const html = comparisonTable(rows, 10_000);
    const headers = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(headers, [
      "model",
      "params",
      "epochs",
      "time per epoch (median)",
      "test accuracy (10,000 images)",
    ]);
    assert.match(html, /article<\/td>.*1,679,082<\/td>.*25<\/td>.*1m 10s<\/td>.*93\.16%<\/td>/);
    assert.match(
      html,
      /improved, mirrored<\/td>.*\(as above\)<\/td>.*no training<\/td>.*94\.15%<\/td>/,
    );
  });

  it("says each row's accuracy against the article's and where the best stands against the target", () => {
    const text = describeComparison(rows, 0.94);
    // The figures, in order: the base, each row with its difference, the best and the target.
    assert.match(
      text,
      /93\.16%.*93\.94%.*\+0\.78 points.*94\.15%.*\+0\.99 points.*improved, mirrored.*94\.00%/,
    );
    const short = describeComparison(rows.slice(0, 2), 0.94);
    assert.match(short, /no row reaches 94\.00% \(the best: improved\)/);
  });

  it("shows results reported elsewhere as such", () => {
    assert.match(reportedTable(), /not measured here/);
    assert.match(reportedTable(), /93\.52%/);
  });

  it("reads the earlier recipes from their dated file, saying they are not this run", () => {
    const html = earlierRecipesTable();
    assert.match(
      html,
      /Earlier measurements, not this run: full profile, 2026-12-01, commit 7d72d2f/,
    );
    assert.match(html, /92\.35%.*--variant augmented/);
    assert.match(html, /93\.94%.*--variant one-cycle-40</);
    assert.match(html, /94\.47%/);
    const damaged = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "recipes-")), "r.json");
    fs.writeFileSync(damaged, "{");
    assert.throws(() => earlierRecipesTable(damaged), /r\.json: cannot be read .* — restore it/);
    fs.rmSync(path.dirname(damaged), { recursive: true });
  });
});
