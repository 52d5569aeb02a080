import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { build, summarize, summaryHtml, summaryText } from "../../lib/model";

describe("MiniVGGNet", () => {
  before(async () => {
    await initBackend();
  });

  it("has the article's layers and Keras' parameter counts", () => {
    const model = build({ width: 28, height: 28, depth: 1, classes: 10 });
    const summary = summarize(model);
    assert.equal(summary.total, 1_679_082);
    assert.equal(summary.trainable, 1_677_674);
    assert.equal(summary.nonTrainable, 1_408);
    assert.deepEqual(
      summary.layers.map((l) => l.type),
      [
        "Conv2D",
        "BatchNormalization",
        "Conv2D",
        "BatchNormalization",
        "MaxPooling2D",
        "Dropout",
        "Conv2D",
        "BatchNormalization",
        "Conv2D",
        "BatchNormalization",
        "MaxPooling2D",
        "Dropout",
        "Flatten",
        "Dense",
        "BatchNormalization",
        "Dropout",
        "Dense",
      ],
    );
    assert.deepEqual(
      summary.layers.map((l) => l.outputShape).filter((_, i) => [0, 4, 10, 12, 16].includes(i)),
      ["(None,28,28,32)", "(None,14,14,32)", "(None,7,7,64)", "(None,3136)", "(None,10)"],
    );
    const text = summaryText(summary);
    assert.match(
      text,
      /Total params: 1,679,082\nTrainable params: 1,677,674\nNon-trainable params: 1,408$/,
    );
    assert.match(
      summaryHtml(summary),
      /<td style="text-align:right;padding:2px 10px">1,606,144<\/td>/,
    );
    assert.match(summaryHtml(summary), /font-weight:bold">1,679,082</);
    model.dispose();
  });

  it("is channels-last with ReLU before batch norm, and softmax out", () => {
    const model = build({ width: 28, height: 28, depth: 1, classes: 10 });
    const config = model.layers[0].getConfig();
    assert.equal(config.activation, "relu");
    assert.equal(config.dataFormat, "channelsLast");
    assert.equal(model.layers[16].getConfig().activation, "softmax");
    const out = tf.tidy(() =>
      (model.predict(tf.zeros([2, 28, 28, 1])) as import("@tensorflow/tfjs").Tensor)
        .sum(1)
        .dataSync(),
    );
    assert.ok(Math.abs(out[0] - 1) < 1e-5);
    model.dispose();
  });

  it("starts from the same weights for the same seed", () => {
    const first = (seed: number) => {
      const model = build({ width: 28, height: 28, depth: 1, classes: 10, seed });
      const values = Array.from(model.layers[13].getWeights()[0].dataSync().slice(0, 5));
      model.dispose();
      return values;
    };
    assert.deepEqual(first(3), first(3));
    assert.notDeepEqual(first(3), first(4));
  });
});
