import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import { FASHION_MNIST_SHAPE } from "../../lib/data";
import { comparisonTable, describeComparison, reportedTable } from "../../lib/evaluation";
import { miniVGGNet } from "../../lib/model";
import { PROFILES } from "../../lib/session";
import {
  ARTICLE_VARIANT,
  AUGMENTED_ARTICLE_VARIANT,
  emptyHistory,
  IMPROVED_VARIANT,
  ONE_CYCLE_SECOND_SEED_VARIANT,
  ONE_CYCLE_VARIANT,
  variantProfile,
} from "../../lib/training";
import type { SideBySideEstimate, TrainingVariant } from "../../lib/training";

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
      /MiniVGGNet \(article\)<\/td>.*none<\/td><td[^>]*>time-based decay from 0\.01, batch 32<\/td>.*1,679,082<\/td>.*quick: 12,000 × 2 epochs<\/td>.*81\.23%<\/td>.*1m 50s<\/td>/,
    );
    assert.match(html, /flip \+ shift/);
    const oneCycle = comparisonTable([{ ...run, variant: ONE_CYCLE_VARIANT }]);
    assert.match(oneCycle, /<td[^>]*>one cycle, peak 0\.05, batch 128<\/td>/);
    // 110 s per epoch of 12,000 images → 60,000 × 25 epochs is 125 such epochs: 13,750 s.
    assert.match(html, /3h 49m \(projected\)/);
    // The improved variant's full run is 40 epochs (1.6 × 25): 200 such epochs, 22,000 s.
    assert.match(html, /6h 06m \(projected\)/);
    // A full-profile run is the full run: its total is measured, not projected.
    const perEpoch = (value: number) => Array.from({ length: 25 }, () => value);
    const fullRun = {
      ...run,
      profile: PROFILES.full,
      trainExamples: 60_000,
      history: {
        ...emptyHistory(),
        loss: perEpoch(0.2),
        acc: perEpoch(0.94),
        val_loss: perEpoch(0.2),
        val_acc: perEpoch(0.93),
        seconds: perEpoch(240),
        learningRate: perEpoch(0.001),
      },
    };
    const fullHtml = comparisonTable([{ ...fullRun, variant: ARTICLE_VARIANT }]);
    assert.match(
      fullHtml,
      /full: 60,000 × 25 epochs<\/td>.*4m 00s<\/td><td[^>]*>1h 40m \(measured\)<\/td>/,
    );
    assert.doesNotMatch(fullHtml, /projected/);
    assert.doesNotMatch(fullHtml, /side by side/, "no timing column when no row was timed");
    // Timed side by side: the full run's epoch from the short timing, whatever the runs' own times.
    const timing = (
      variant: TrainingVariant,
      secondsPerEpoch: number,
      roundSpread = 1.05,
    ): SideBySideEstimate => ({
      trainImagesPerSecond: 1,
      inferImagesPerSecond: 1,
      fullRunSeconds: secondsPerEpoch * variantProfile(PROFILES.full, variant).epochs,
      profileSeconds: 1,
      roundSpread,
    });
    const timedRuns = [
      { ...run, variant: ARTICLE_VARIANT, timedSideBySide: timing(ARTICLE_VARIANT, 200) },
      { ...run, variant: IMPROVED_VARIANT, timedSideBySide: timing(IMPROVED_VARIANT, 300) },
      { ...run, variant: AUGMENTED_ARTICLE_VARIANT },
      { ...run, variant: ONE_CYCLE_VARIANT, timedSideBySide: timing(ONE_CYCLE_VARIANT, 250) },
      {
        ...run,
        variant: ONE_CYCLE_SECOND_SEED_VARIANT,
        timedSideBySide: timing(ONE_CYCLE_SECOND_SEED_VARIANT, 240, 1.08),
      },
    ];
    assert.match(
      comparisonTable(timedRuns),
      /full-run epoch, timed side by side<\/th>.*projected\)<\/td><td[^>]*>3m 20s<\/td>.*projected\)<\/td><td[^>]*>5m 00s<\/td>.*projected\)<\/td><td[^>]*>not timed<\/td>/,
    );
    const timedText = describeComparison(timedRuns);
    assert.match(
      timedText,
      /DeeperVGG \+ augmentation: 81\.23% \(.*\), 1\.50× its time per epoch timed side by side — /,
      "the timed ratio, not the runs' own (equal) times",
    );
    assert.match(timedText, /MiniVGGNet \+ augmentation: .*, 1\.00× its time per epoch — /);
    assert.match(
      timedText,
      /seed 7: .*\), 0\.96× its time per epoch timed side by side of the identical model it repeats — /,
      "a re-run's time against the run it repeats: the timing's own precision",
    );
    assert.match(
      timedText,
      /a model's slowest round took up to 8\.0% longer than its fastest, the one the table shows\.$/,
    );
    assert.doesNotMatch(describeComparison([{ ...run, variant: ARTICLE_VARIANT }]), /round/);
    assert.match(reportedTable(), /not measured here/);

    const slowerAndBetter = { ...history, val_acc: [0.7, 0.83], seconds: [150, 180] };
    const slowerAndWorse = { ...history, val_acc: [0.7, 0.8], seconds: [110, 110] };
    const text = describeComparison([
      { ...run, variant: ARTICLE_VARIANT },
      { ...run, variant: IMPROVED_VARIANT, history: slowerAndBetter },
      { ...run, variant: IMPROVED_VARIANT, history: slowerAndWorse },
    ]);
    assert.match(
      text,
      /^On the quick profile \(12,000 images × 2 epochs\), MiniVGGNet \(article\) reaches 81\.23%\./,
    );
    assert.match(
      text,
      /83\.00% \(\+1\.77 points against MiniVGGNet \(article\)\), 1\.50× its time per epoch — in this run it helped\./,
    );
    assert.match(
      text,
      /80\.00% \(−1\.23 points .*\), 1\.00× its time per epoch — in this run it hurt\./,
    );
    // Its accuracy on its training images (0.8) is no higher than on the test images (0.8).
    assert.match(
      text,
      /it hurt\. Its accuracy on its augmented training images \(80\.00%, dropout active\) ended below its test accuracy: it was still underfitting when its 2 epochs ran out\.$/,
    );
    const overfitting = describeComparison([
      { ...run, variant: ARTICLE_VARIANT },
      { ...run, variant: ARTICLE_VARIANT, history: { ...slowerAndWorse, acc: [0.6, 0.9] } },
    ]);
    assert.match(
      overfitting,
      /in this run it hurt\.$/,
      "no underfitting sentence when it fits its training data",
    );
    assert.doesNotMatch(text, /helped\. Its accuracy/, "a change that helped needs no reason");
    // Each step against the one it builds on, when that one is in the table.
    const steps = describeComparison([
      { ...run, variant: ARTICLE_VARIANT },
      { ...run, variant: AUGMENTED_ARTICLE_VARIANT, history: slowerAndWorse },
      { ...run, variant: IMPROVED_VARIANT, history: slowerAndBetter },
      { ...run, variant: ONE_CYCLE_VARIANT, history: { ...history, val_acc: [0.7, 0.85] } },
      {
        ...run,
        variant: ONE_CYCLE_SECOND_SEED_VARIANT,
        history: { ...history, val_acc: [0.7, 0.846] },
      },
    ]);
    assert.match(
      steps,
      /MiniVGGNet \+ augmentation: 80\.00% \(−1\.23 points against MiniVGGNet \(article\)\), /,
      "the first step builds on the base row itself: one comparison is enough",
    );
    assert.match(
      steps,
      /DeeperVGG \+ augmentation: 83\.00% \(\+1\.77 points against MiniVGGNet \(article\); \+3\.00 points against MiniVGGNet \+ augmentation\), /,
    );
    assert.match(
      steps,
      /one cycle: 85\.00% \(\+3\.77 points against MiniVGGNet \(article\); \+2\.00 points against DeeperVGG \+ augmentation\), /,
    );
    assert.match(
      steps,
      /seed 7: 84\.60% \(\+3\.37 points against MiniVGGNet \(article\); −0\.40 points against DeeperVGG \+ augmentation \+ one cycle \(the same recipe from another seed: that gap is chance alone\)\), /,
    );
    assert.equal(steps.match(/another seed/g)?.length, 1, "only a re-run is called one");
    assert.doesNotMatch(text, /;/, "without the row it builds on, no second comparison");
    model.dispose();
  });
});
