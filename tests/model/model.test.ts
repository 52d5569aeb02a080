import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { deeperVGG, miniVGGNet, seedInitialWeights, summarize, summaryHtml } from "../../lib/model";

describe("MiniVGGNet", () => {
  before(async () => {
    await initBackend();
  });

  it("has the article's layers and Keras' parameter counts", () => {
    const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
    const summary = summarize(model);
    assert.equal(summary.total, 1_679_082);
    assert.equal(summary.trainable, 1_677_674);
    assert.equal(summary.nonTrainable, 1_408);
    // The article's summary, as Keras prints it: names, types and output shapes, row by row.
    const conv = (n: number, shape: string, params: number) => [
      [`conv2d${n ? `_${n}` : ""}`, "Conv2D", shape, params],
      [`activation${n ? `_${n}` : ""}`, "Activation", shape, 0],
      [
        `batch_normalization${n ? `_${n}` : ""}`,
        "BatchNormalization",
        shape,
        4 * Number(shape.split(",").pop()?.replace(")", "")),
      ],
    ];
    assert.deepEqual(
      summary.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
      [
        ...conv(0, "(None,28,28,32)", 320),
        ...conv(1, "(None,28,28,32)", 9_248),
        ["max_pooling2d", "MaxPooling2D", "(None,14,14,32)", 0],
        ["dropout", "Dropout", "(None,14,14,32)", 0],
        ...conv(2, "(None,14,14,64)", 18_496),
        ...conv(3, "(None,14,14,64)", 36_928),
        ["max_pooling2d_1", "MaxPooling2D", "(None,7,7,64)", 0],
        ["dropout_1", "Dropout", "(None,7,7,64)", 0],
        ["flatten", "Flatten", "(None,3136)", 0],
        ["dense", "Dense", "(None,512)", 1_606_144],
        ["activation_4", "Activation", "(None,512)", 0],
        ["batch_normalization_4", "BatchNormalization", "(None,512)", 2_048],
        ["dropout_2", "Dropout", "(None,512)", 0],
        ["dense_1", "Dense", "(None,10)", 5_130],
        ["activation_5", "Activation", "(None,10)", 0],
      ],
    );
    assert.match(
      summaryHtml(summary),
      /<td style="text-align:right;padding:2px 10px">1,606,144<\/td>/,
    );
    assert.match(summaryHtml(summary), /font-weight:bold">1,679,082</);
    model.dispose();
  });

  it("is channels-last with ReLU before batch norm, and softmax out", () => {
    const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
    const config = model.layers[0].getConfig();
    assert.equal(config.activation, "linear");
    assert.equal(model.layers[1].getConfig().activation, "relu");
    assert.equal(model.layers[2].getClassName(), "BatchNormalization");
    assert.equal(config.dataFormat, "channelsLast");
    assert.equal(model.layers[model.layers.length - 1].getConfig().activation, "softmax");
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
      const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
      seedInitialWeights(model, seed);
      const dense = model.layers.find((layer) => layer.getClassName() === "Dense");
      const values = Array.from(dense?.getWeights()[0].dataSync().slice(0, 5) ?? []);
      model.dispose();
      return values;
    };
    assert.deepEqual(first(3), first(3));
    assert.notDeepEqual(first(3), first(4));
  });

  it("DeeperVGG adds a third block of 128 filters and pools to 3×3", () => {
    const model = deeperVGG({ width: 28, height: 28, depth: 1, classes: 10 });
    const summary = summarize(model);
    const flatten = summary.layers.find((l) => l.type === "Flatten");
    assert.equal(flatten?.outputShape, "(None,1152)");
    assert.equal(summary.layers.filter((l) => l.type === "Conv2D").length, 6);
    assert.equal(summary.total, 885_738);
    model.dispose();
  });
});
