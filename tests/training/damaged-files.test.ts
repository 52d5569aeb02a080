// Slow tier: trains the tiny model, then damages its files.
/**
 * Damaged saved models and checkpoints never load: each kind of damage is an error naming the file and
 * what to do.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { runPaths } from "../../lib/paths";
import { disposeModel, trainModel } from "../../lib/training";
import { DamagedModelError, loadModel } from "../../lib/training/model-store";
import { temporaryDirs } from "../helpers/temp-dirs";
import { TINY_PROFILE, tinySplits, tinyTrainOptions } from "../helpers/tiny-training";

const tempDir = temporaryDirs("fmnist-damaged-");

const options = tinyTrainOptions;

/** A finished tiny run, trained once and copied for each kind of damage; and another run beside it. */
let pristine: string;
let otherRun: string;
before(async () => {
  await initBackend();
  tinySplits();
  pristine = tempDir();
  disposeModel((await trainModel(options(pristine))).model);
  otherRun = tempDir();
  disposeModel(
    (await trainModel(options(otherRun, { profile: { ...TINY_PROFILE, seed: 7 } }))).model,
  );
});

function copyOfRun(): string {
  const dir = tempDir();
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

type Damage = (dir: string) => void;
const edit = (file: string, change: (text: string) => string) =>
  fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
/** model.json with its weights manifest naming `weightsPath` instead of ./weights.bin. */
const pointWeightsAt = (weightsPath: string) => (dir: string) =>
  edit(path.join(dir, "model.json"), (text) =>
    text.replace('"./weights.bin"', JSON.stringify(weightsPath)),
  );
/** Replace `file` in the folder with a FIFO: reading one would block until a writer came, for ever. */
const fifoInstead = (file: string) => (dir: string) => {
  fs.rmSync(path.join(dir, file));
  execFileSync("mkfifo", [path.join(dir, file)]);
};
const MANIFEST_REFUSED =
  /model\.json: names its weights \[.*\], but a saved model's weights are one file beside model\.json/;

/** Every float in weights.bin times `factor`, with model.json's digest made to match (finite, but huge). */
const scaleWeights = (factor: number) => (dir: string) => {
  const file = path.join(dir, "weights.bin");
  const bytes = fs.readFileSync(file);
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).map(
    (v) => v * factor,
  );
  fs.writeFileSync(file, values);
  const digest = createHash("sha256").update(new Uint8Array(values.buffer)).digest("hex");
  edit(path.join(dir, "model.json"), (text) =>
    text.replace(/"weightsSha256":"[0-9a-f]+"/, `"weightsSha256":"${digest}"`),
  );
};

const DAMAGES: [string, string, Damage, RegExp][] = [
  [
    "weights.bin copied in from another run (same size, other weights)",
    "weights.bin",
    (dir) => {
      const other = path.join(runPaths(otherRun).model, "weights.bin");
      const checkpointOther = path.join(runPaths(otherRun).checkpoint, "weights.bin");
      fs.copyFileSync(
        dir.endsWith("checkpoint") ? checkpointOther : other,
        path.join(dir, "weights.bin"),
      );
    },
    /weights\.bin: is not the weights model\.json was saved with \(their SHA-256 differs from the one it records\): it was copied from another run, or damaged/,
  ],
  [
    "finite weights that make the outputs infinite or NaN",
    "weights.bin",
    scaleWeights(1e30),
    /weights\.bin: holds finite weights that make the model's outputs not finite \(NaN or infinity\)/,
  ],
  [
    "truncated weights",
    "weights.bin",
    (dir) => fs.truncateSync(path.join(dir, "weights.bin"), 100),
    /holds 100 bytes, but its manifest describes \d+ \(the file is truncated or belongs to another model\)/,
  ],
  [
    "model.json that is not JSON",
    "model.json",
    (dir) => edit(path.join(dir, "model.json"), (text) => text.slice(0, text.length / 2)),
    /model\.json: is not valid JSON/,
  ],
  [
    "model.json of the wrong structure",
    "model.json",
    (dir) => fs.writeFileSync(path.join(dir, "model.json"), '{"format": "layers-model"}'),
    /model\.json: is not a TensorFlow\.js layers model \(modelTopology or weightsManifest is missing or malformed\)/,
  ],
  [
    "a topology its weights do not fit",
    "model.json",
    (dir) => edit(path.join(dir, "model.json"), (text) => text.replace('"units":3', '"units":4')),
    /model\.json: does not describe a model its weights fit/,
  ],
  [
    "a weight that is not finite",
    "weights.bin",
    (dir) => {
      const file = path.join(dir, "weights.bin");
      const bytes = fs.readFileSync(file);
      bytes.writeFloatLE(Number.NaN, 8);
      fs.writeFileSync(file, bytes);
    },
    /weights\.bin: weight \S+ holds values that are not finite numbers \(NaN or infinity\)/,
  ],
  [
    "weights named outside the folder (../ up to /dev/zero)",
    "model.json",
    pointWeightsAt("../../../../../../../../dev/zero"),
    MANIFEST_REFUSED,
  ],
  [
    "weights named in another run's folder",
    "model.json",
    pointWeightsAt("../../other-run/model/weights.bin"),
    MANIFEST_REFUSED,
  ],
  [
    "weights named by an absolute path",
    "model.json",
    pointWeightsAt("/etc/hostname"),
    MANIFEST_REFUSED,
  ],
  [
    "weights.bin padded to more bytes than the manifest describes (refused by its size, unread)",
    "weights.bin",
    (dir) => fs.appendFileSync(path.join(dir, "weights.bin"), Buffer.alloc(4096)),
    /weights\.bin: holds \d+ bytes, but its manifest describes \d+/,
  ],
  [
    "weights.bin a symbolic link (to /dev/zero)",
    "weights.bin",
    (dir) => {
      fs.rmSync(path.join(dir, "weights.bin"));
      fs.symlinkSync("/dev/zero", path.join(dir, "weights.bin"));
    },
    /weights\.bin: is a symbolic link, not a plain file/,
  ],
  [
    "weights.bin a FIFO (never read, so nothing hangs)",
    "weights.bin",
    fifoInstead("weights.bin"),
    /weights\.bin: is a named pipe \(FIFO\), not a plain file/,
  ],
  [
    "model.json a FIFO",
    "model.json",
    fifoInstead("model.json"),
    /model\.json: is a named pipe \(FIFO\), not a plain file/,
  ],
];

describe("a damaged saved model is refused, naming the file and what to do", () => {
  for (const [what, file, damage, message] of DAMAGES) {
    it(what, async () => {
      const modelDir = runPaths(copyOfRun()).model;
      damage(modelDir);
      await assert.rejects(loadModel(modelDir), (error: Error) => {
        assert.ok(error instanceof DamagedModelError, String(error));
        assert.ok(error.message.includes(path.join(modelDir, file)), error.message);
        assert.match(error.message, message);
        assert.match(error.message, / — delete .*model and run notebooks\/03-training\.ipynb/);
        return true;
      });
    });
  }
});

describe("a damaged checkpoint is refused before any training, naming the file", () => {
  const checkpointDamages: [string, Damage, RegExp][] = [
    ...DAMAGES.map(([what, , damage, message]): [string, Damage, RegExp] => [
      what,
      damage,
      message,
    ]),
    [
      "a history padded to more epochs than the run has",
      (dir) =>
        edit(path.join(dir, "state.json"), (text) => {
          const state = JSON.parse(text);
          for (const series of Object.values(state.history) as number[][])
            series.push(...Array(996).fill(series[series.length - 1]));
          return JSON.stringify(state);
        }),
      /state\.json: records 999 epochs, more than the 3 this run has: the history in it was edited or damaged/,
    ],
    [
      "a history cut to one epoch (its weights and momentum are epoch 3's)",
      (dir) =>
        edit(path.join(dir, "state.json"), (text) => {
          const state = JSON.parse(text);
          for (const key of Object.keys(state.history))
            state.history[key] = state.history[key].slice(0, 1);
          return JSON.stringify(state);
        }),
      /state\.json: records 1 finished epochs \(6 steps\), but the optimiser's state beside it \(optimizer\.bin\) has taken 18 steps/,
    ],
    [
      "state.json that is not JSON",
      (dir) => fs.writeFileSync(path.join(dir, "state.json"), "{"),
      /state\.json: is damaged, so the checkpoint cannot be resumed/,
    ],
    [
      "truncated optimizer state",
      (dir) => fs.truncateSync(path.join(dir, "optimizer.bin"), 10),
      /optimizer\.bin: holds 10 bytes, but its manifest describes \d+/,
    ],
    [
      "optimizer state a FIFO",
      fifoInstead("optimizer.bin"),
      /optimizer\.bin: is a named pipe \(FIFO\), not a plain file/,
    ],
  ];
  for (const [what, damage, message] of checkpointDamages) {
    it(what, async () => {
      const runDir = copyOfRun();
      const checkpoint = runPaths(runDir).checkpoint;
      // An unfinished run: the checkpoint is what the next start would resume from.
      fs.rmSync(runPaths(runDir).model, { recursive: true });
      damage(checkpoint);
      const tensors = tf.memory().numTensors;
      let steps = 0;
      await assert.rejects(
        trainModel(options(runDir, { onBatchEnd: () => void steps++ })),
        (error: Error) => {
          assert.match(error.message, message);
          assert.ok(error.message.includes(checkpoint), error.message);
          assert.match(error.message, /delete .*checkpoint to start the run again/);
          return true;
        },
      );
      assert.equal(steps, 0);
      assert.equal(tf.memory().numTensors, tensors, "nothing half-loaded is left behind");
    });
  }
});

describe("a finished run whose checkpoint was edited", () => {
  it("is refused, and its model and history are left as they were", async () => {
    const runDir = copyOfRun();
    const { checkpoint, model, history } = runPaths(runDir);
    edit(path.join(checkpoint, "state.json"), (text) => {
      const state = JSON.parse(text);
      for (const key of Object.keys(state.history)) state.history[key] = [];
      return JSON.stringify(state);
    });
    const before = [path.join(model, "model.json"), path.join(model, "weights.bin"), history].map(
      (file) => fs.readFileSync(file),
    );
    await assert.rejects(
      trainModel(options(runDir)),
      /state\.json: records 0 finished epochs \(0 steps\), but the optimiser's state beside it \(optimizer\.bin\) has taken 18 steps/,
    );
    const after = [path.join(model, "model.json"), path.join(model, "weights.bin"), history].map(
      (file) => fs.readFileSync(file),
    );
    assert.deepEqual(after, before);
  });
});
