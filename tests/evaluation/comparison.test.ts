import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import { FASHION_MNIST_SHAPE } from "../../lib/data";
import { comparisonTable, reportedTable } from "../../lib/evaluation";
import { miniVGGNet } from "../../lib/model";
import { PROFILES } from "../../lib/session";
import { ARTICLE_VARIANT, emptyHistory, IMPROVED_VARIANT } from "../../lib/training";

describe("the comparison table", () => {
  it("shows measured runs with their profile, and projects the full run", async () => {
    await initBackend();
    const history = {
      ...emptyHistory(),
      loss: [1, 0.5],
      acc: [0.6, 0.8],
      val_loss: [0.9, 0.6],
      val_acc: [0.7, 0.8123],
      seconds: [100, 120],
      learningRate: [0.01, 0.009],
    };
    const model = miniVGGNet(FASHION_MNIST_SHAPE);
    const run = {
      model,
      history,
      profile: PROFILES.quick,
      trainExamples: 12_000,
      testExamples: 2_000,
    };
    const html = comparisonTable([
      { ...run, variant: ARTICLE_VARIANT },
      { ...run, variant: IMPROVED_VARIANT },
    ]);
    assert.match(
      html,
      /MiniVGGNet \(article\)<\/td>.*none<\/td>.*1,679,082<\/td>.*quick: 12,000 × 2 epochs<\/td>.*81\.23%<\/td>.*1m 50s<\/td>/,
    );
    assert.match(html, /flip \+ shift/);
    // 110 s per epoch of 12,000 images → 60,000 × 25 epochs is 125 such epochs: 13,750 s.
    assert.match(html, /3h 49m \(projected\)/);
    assert.match(reportedTable(), /not measured here/);
    model.dispose();
  });
});
