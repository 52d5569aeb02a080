// Slow tier: trains models twice.
/**
 * A seeded run repeats on one machine and backend: the same data, weights, shuffles and dropout masks, so
 * the same losses. (TensorFlow.js draws an unseeded dropout mask from Math.random.)
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import type { BackendInfo } from "../../lib/backend";
import { DEBIAN_DIR, disposeSplit, prepareSplit } from "../../lib/data";
import { loadProfileData, PROFILES } from "../../lib/session";
import { disposeModel, trainModel } from "../../lib/training";
import { TrainingInterrupted } from "../../lib/training/interrupt";
import type { TrainOptions } from "../../lib/training/train";
import { temporaryDirs } from "../helpers/temp-dirs";
import {
  TINY_DROPOUT_VARIANT,
  TINY_PROFILE,
  tinySplits,
  tinyTrainOptions,
} from "../helpers/tiny-training";

const tempDir = temporaryDirs("fmnist-repeat-");

async function twice(options: Omit<TrainOptions, "runDir">): Promise<number[][]> {
  const losses = [];
  for (let i = 0; i < 2; i++) {
    const result = await trainModel({ ...options, runDir: tempDir(), log: () => {} });
    losses.push(result.history.loss);
    disposeModel(result.model);
  }
  return losses;
}

describe("a seeded run repeats on one machine and backend", () => {
  let info: BackendInfo;
  before(async () => {
    info = await initBackend();
    tinySplits();
  });

  it("two fresh runs of a model with dropout give the same losses", async () => {
    const [first, second] = await twice({
      profile: TINY_PROFILE,
      ...tinySplits(),
      variant: TINY_DROPOUT_VARIANT,
    });
    assert.deepEqual(first, second);
  });

  it("a run interrupted after epoch 1 and resumed ends with the uninterrupted run's weights", async (t) => {
    // 4 batches of 10 and one of 8: two batch shapes, so two step graphs, recorded at other steps by the
    // resumed run (in a new model) than by the uninterrupted one.
    const profile = { ...TINY_PROFILE, batchSize: 10 };
    const base = { profile, ...tinySplits(), variant: TINY_DROPOUT_VARIANT, log: () => {} };
    const whole = await trainModel({ ...base, runDir: tempDir() });
    const runDir = tempDir();
    await assert.rejects(
      trainModel({
        ...base,
        runDir,
        onBatchEnd: (batch, _batches, epoch) => {
          if (epoch === 1 && batch === 1) process.emit("SIGINT");
        },
      }),
      TrainingInterrupted,
    );
    const resumed = await trainModel({ ...base, runDir });
    assert.equal(resumed.resumedFromEpoch, 1);
    const [a, b] = [whole, resumed].map((run) => run.model.getWeights().map((w) => w.dataSync()));
    let maxDifference = 0;
    a.forEach((values, i) =>
      values.forEach((value, j) => {
        maxDifference = Math.max(maxDifference, Math.abs(value - b[i][j]));
      }),
    );
    t.diagnostic(
      `${a.length} weight tensors, ${a.reduce((n, v) => n + v.length, 0)} values compared on ` +
        `${info.name}${info.graph ? " in graph mode" : ""}; max difference ${maxDifference}`,
    );
    assert.equal(maxDifference, 0);
    assert.deepEqual(resumed.history.loss, whole.history.loss);
    assert.deepEqual(resumed.history.val_loss, whole.history.val_loss);
    disposeModel(whole.model);
    disposeModel(resumed.model);
  });

  it("and the trained model keeps no dropout seed (one would fix its masks if trained on)", async () => {
    const result = await trainModel(tinyTrainOptions(tempDir(), { variant: TINY_DROPOUT_VARIANT }));
    const dropout = result.model.layers.find((layer) => layer.getClassName() === "Dropout")!;
    assert.equal(dropout.getConfig().seed, undefined);
    disposeModel(result.model);
  });

  const haveData = fs.existsSync(path.join(DEBIAN_DIR, "train-images-idx3-ubyte.gz"));
  it(
    "two fresh smoke trainings of MiniVGGNet (on fewer images) give the same epoch-1 loss",
    haveData ? {} : { skip: `Debian's dataset-fashion-mnist is not installed (${DEBIAN_DIR})` },
    async () => {
      const profile = { ...PROFILES.smoke, trainExamples: 500, testExamples: 100 };
      const data = await loadProfileData(profile);
      const smokeTrain = prepareSplit(data.train);
      const smokeTest = prepareSplit(data.test);
      const [first, second] = await twice({ profile, train: smokeTrain, test: smokeTest });
      assert.equal(first[0], second[0]);
      disposeSplit(smokeTrain);
      disposeSplit(smokeTest);
    },
  );
});
