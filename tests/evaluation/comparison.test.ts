/** Notebook 6's comparison: rows from trained runs, the table, the results reported elsewhere. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import { FASHION_MNIST_SHAPE } from "../../lib/data";
import { comparisonTable, reportedTable, trainedRow } from "../../lib/evaluation";
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
      params: 1_679_082,
      epochs: 3,
      secondsPerEpoch: 120,
    });
  });

  const rows = [
    { name: "article", accuracy: 0.9316, params: 1_679_082, epochs: 25, secondsPerEpoch: 70 },
    { name: "improved", accuracy: 0.9394, params: 885_738, epochs: 40, secondsPerEpoch: 65 },
  ];

  it("one table: params, epochs, one time column, test accuracy", () => {
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
    assert.match(html, /improved<\/td>.*885,738<\/td>.*40<\/td>.*1m 05s<\/td>.*93\.94%<\/td>/);
  });

  it("shows results reported elsewhere as such, with Zalando's figures", () => {
    const html = reportedTable();
    assert.match(html, /not measured here/);
    assert.match(html, /93\.52%/);
    assert.match(html, /WRN-28-10 with augmentation \(crops, flips\)<\/td>.*95\.90%/);
    assert.match(html, /random erasing<\/td>.*96\.30%/);
  });
});
