import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { runPaths } from "../../lib/paths";
import { disposeModel, trainModel } from "../../lib/training";
import { articleSchedule, timeBasedDecay } from "../../lib/training/time-based-decay";
import { finishedRunHistory } from "../../lib/training/train";
import { loadModel } from "../../lib/training/model-store";
import { temporaryDirs } from "../helpers/temp-dirs";
import { TINY_PROFILE, tinyModel, tinySplits, tinyTrainOptions } from "../helpers/tiny-training";
import type { TrainOptions } from "../../lib/training/train";
import { slowTier } from "../helpers/test-tier";

describe("the article's learning-rate schedule", () => {
  it("is Keras' time-based decay per batch, lr0 / (1 + decay · iterations)", () => {
    const lr = timeBasedDecay(0.01, 0.01 / 25);
    assert.equal(lr(0), 0.01);
    assert.ok(Math.abs(lr(1) - 0.01 / 1.0004) < 1e-15);
    assert.ok(Math.abs(lr(1875) - 0.01 / 1.75) < 1e-15); // after one full-profile epoch
  });
  it("ends near 0.000506 after 25 epochs of 1,875 batches", () => {
    const end = articleSchedule(0.01, 25)(25 * 1875);
    assert.ok(Math.abs(end - 0.000506329) < 1e-9, `got ${end}`);
  });
});

const tempDir = temporaryDirs("fmnist-train-");
const profile = TINY_PROFILE;

describe("trainModel", slowTier("trains the tiny model"), () => {
  before(async () => {
    await initBackend();
    tinySplits();
  });
  const run = (runDir: string, extra: Partial<TrainOptions> = {}) =>
    trainModel(tinyTrainOptions(runDir, extra));

  it("records one history entry per epoch, saves the model, and leaks no tensors across epochs", async () => {
    const runDir = tempDir();
    const baseline = tf.memory().numTensors;
    const tensorsAfterEpoch: number[] = [];
    let batches = 0;
    const result = await run(runDir, {
      onEpochEnd: () => void tensorsAfterEpoch.push(tf.memory().numTensors),
      onBatchEnd: () => void batches++,
    });
    assert.equal(result.history.loss.length, 3);
    assert.equal(result.history.val_acc.length, 3);
    assert.equal(batches, 3 * 6);
    assert.ok(
      tensorsAfterEpoch.every((n) => n === tensorsAfterEpoch[0]),
      `tensors after each epoch: ${tensorsAfterEpoch}`,
    );
    assert.ok(result.history.loss[2] < result.history.loss[0], "the loss goes down");
    assert.ok(fs.existsSync(path.join(runPaths(runDir).model, "model.json")));
    const saved = JSON.parse(fs.readFileSync(runPaths(runDir).history, "utf8"));
    assert.deepEqual(saved.loss, result.history.loss);
    assert.deepEqual(await finishedRunHistory(tinyTrainOptions(runDir)), result.history);
    assert.equal(await finishedRunHistory(tinyTrainOptions(tempDir())), undefined);

    const reloaded = await loadModel(runPaths(runDir).model);
    const { test } = tinySplits();
    const a = result.model.predict(test.x) as import("@tensorflow/tfjs").Tensor;
    const b = reloaded.predict(test.x) as import("@tensorflow/tfjs").Tensor;
    assert.ok(
      tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]) < 1e-6,
      "the saved model predicts like the trained one",
    );
    tf.dispose([a, b]);
    disposeModel(result.model);
    reloaded.dispose();
    assert.equal(
      tf.memory().numTensors,
      baseline,
      "the model, its optimizer state and everything else are freed",
    );
  });

  it("trains an augmenting variant with no tensor growth, and tells it apart from the plain one", async () => {
    const runDir = tempDir();
    const counts: number[] = [];
    const variant = {
      name: "tiny+aug",
      build: () => tinyModel(5),
      augment: true,
      runDirSuffix: "-aug",
    };
    const result = await run(runDir, {
      variant,
      onEpochEnd: () => void counts.push(tf.memory().numTensors),
    });
    assert.equal(result.history.loss.length, 3);
    assert.ok(
      counts.every((n) => n === counts[0]),
      `tensors after each epoch: ${counts}`,
    );
    result.model.dispose();
    const interrupted = tempDir();
    await assert.rejects(
      run(interrupted, {
        variant,
        onEpochEnd: () => {
          throw new Error("stop");
        },
      }),
      /stop/,
    );
    await assert.rejects(
      run(interrupted),
      /different run \(variant tiny\+aug → tiny, augment true → false\)/,
    );
  });

  it("resumes an interrupted run from its last epoch, with the optimizer state, to the same result", async () => {
    const straight = await run(tempDir());
    const runDir = tempDir();
    await assert.rejects(
      run(runDir, {
        onEpochEnd: (history) => {
          if (history.loss.length === 2) throw new Error("interrupted");
        },
      }),
      /interrupted/,
    );
    const resumed = await run(runDir);
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.equal(resumed.history.loss.length, 3);
    for (let e = 0; e < 3; e++) {
      assert.ok(
        Math.abs(resumed.history.loss[e] - straight.history.loss[e]) < 1e-5,
        `epoch ${e + 1}: resumed loss ${resumed.history.loss[e]} vs uninterrupted ${straight.history.loss[e]}`,
      );
    }
    straight.model.dispose();
    resumed.model.dispose();
  });

  it("refuses to resume a checkpoint of a different experiment, saying why", async () => {
    const runDir = tempDir();
    await assert.rejects(
      run(runDir, {
        onEpochEnd: () => {
          throw new Error("stop");
        },
      }),
      /stop/,
    );
    await assert.rejects(
      run(runDir, { profile: { ...profile, seed: 7 } }),
      /checkpoint: cannot be resumed: it belongs to a different run \(seed 42 → 7\) — delete that folder/,
    );
  });
});
