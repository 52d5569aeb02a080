// Slow tier: each case starts a Node process to choose a backend.
/**
 * Backend selection by lib/backend/tf.ts. It reads TFJS_BACKEND when first loaded, so each case runs in a
 * fresh Node process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");
const PROBE = `require("./lib/backend").initBackend().then(
  (info) => console.log("INFO " + JSON.stringify(info)),
  (e) => { console.log("ERROR " + e.message); process.exitCode = 1; })`;

// Makes the probe's process behave as if @tensorflow/tfjs-node were not installed, so that the fallback
// is tested on machines that have native TensorFlow too.
const HIDE_NATIVE = `const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "@tensorflow/tfjs-node") throw new Error("Cannot find module '@tensorflow/tfjs-node'");
  return resolve.call(this, request, ...rest);
};
`;

// Trains a small model four steps and reports the mode and how many kernels tfjs ran for the last step.
const TRAINING_PROBE = `const { initBackend, tf } = require("./lib/backend");
initBackend().then(async (info) => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "softmax" })] });
  model.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: "categoricalCrossentropy" });
  const x = tf.ones([8, 4]);
  const y = tf.oneHot(tf.zeros([8], "int32"), 3).toFloat();
  for (let step = 0; step < 3; step++) await model.trainOnBatch(x, y);
  const { kernels } = await tf.profile(() => model.trainOnBatch(x, y));
  console.log("INFO " + JSON.stringify({ ...info, kernels: kernels.length }));
})`;

function probe(
  env: NodeJS.ProcessEnv,
  { hideNative = false, script = PROBE } = {},
): {
  info?: {
    name: string;
    native: boolean;
    threads?: number;
    note?: string;
    mode: string;
    kernels?: number;
  };
  error?: string;
  stderr: string;
} {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-e", (hideNative ? HIDE_NATIVE : "") + script],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  const line = result.stdout
    .split("\n")
    .find((l) => l.startsWith("INFO ") || l.startsWith("ERROR "));
  assert.ok(line, `no result from the probe; stderr: ${result.stderr}`);
  const { stderr } = result;
  return line.startsWith("INFO ")
    ? { info: JSON.parse(line.slice(5)), stderr }
    : { error: line.slice(6), stderr };
}

function nativeInstalled(): boolean {
  try {
    require.resolve("@tensorflow/tfjs-node", { paths: [ROOT] });
    return true;
  } catch {
    return false;
  }
}

test("TFJS_BACKEND=wasm selects wasm, with threads and a hint about native TensorFlow", () => {
  const { info, error } = probe({ TFJS_BACKEND: "wasm", TFJS_WASM_THREADS: "2" });
  assert.equal(error, undefined);
  assert.equal(info?.name, "wasm");
  assert.equal(info?.native, false);
  assert.equal(info?.threads, 2);
});

test("the wasm threads' worker script goes in a private folder, never a fixed name in /tmp", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fmnist-shared-tmp-"));
  try {
    // What another user of a shared /tmp could plant at a predictable name: a link to a file of ours.
    const target = path.join(tmp, "precious.txt");
    fs.writeFileSync(target, "keep me");
    const uid = process.getuid?.() ?? 0;
    fs.symlinkSync(target, path.join(tmp, `tfjs-wasm-4.22.0-pthread-worker-${uid}.js`));
    const { info } = probe({ TFJS_BACKEND: "wasm", TFJS_WASM_THREADS: "2", TMPDIR: tmp });
    assert.equal(info?.threads, 2);
    assert.equal(fs.readFileSync(target, "utf8"), "keep me");
    // The private folder is gone with the process; nothing else was left in the shared one.
    assert.deepEqual(fs.readdirSync(tmp).sort(), [
      "precious.txt",
      `tfjs-wasm-4.22.0-pthread-worker-${uid}.js`,
    ]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("without TFJS_BACKEND, a missing native binding falls back to wasm and says how to get it", () => {
  const { info } = probe({ TFJS_BACKEND: "" }, { hideNative: true });
  assert.equal(info?.name, "wasm");
  // Plain words, not a module-resolution error with a require stack.
  assert.match(info?.note ?? "", /^native TensorFlow is not installed; .*scripts\/setup.sh/);
});

test("a forced backend that is unavailable is a clear error", () => {
  const { error } = probe({ TFJS_BACKEND: "tensorflow" }, { hideNative: true });
  assert.match(error ?? "", /TFJS_BACKEND=tensorflow.*@tensorflow\/tfjs-node could not be loaded/);
});

const skipNative = nativeInstalled()
  ? false
  : "native TensorFlow (@tensorflow/tfjs-node) is not installed here";

test(
  "without TFJS_BACKEND, installed native TensorFlow is chosen, silently",
  { skip: skipNative },
  () => {
    // Unset, as a reader's terminal has it: the backend's own default must hold TensorFlow's notes back.
    const { info, error, stderr } = probe({ TFJS_BACKEND: "", TF_CPP_MIN_LOG_LEVEL: undefined });
    assert.equal(error, undefined);
    assert.equal(info?.name, "tensorflow");
    assert.equal(info?.native, true);
    assert.equal(info?.note, undefined);
    assert.equal(
      stderr,
      "",
      "nothing on stderr: no start-up notes of TensorFlow, no process warnings",
    );
  },
);

test(
  "TF_CPP_MIN_LOG_LEVEL=0 lets TensorFlow's start-up notes through",
  { skip: skipNative },
  () => {
    // The notes are held back by the setting, not thrown away: 0 (everything) shows them.
    const { info, stderr } = probe({ TFJS_BACKEND: "", TF_CPP_MIN_LOG_LEVEL: "0" });
    assert.equal(info?.name, "tensorflow");
    assert.match(stderr, /^I\d{4} .*\] /m);
  },
);

test(
  "on native TensorFlow training runs as graphs; FMNIST_GRAPH=0 runs it op by op, and says so",
  { skip: skipNative },
  () => {
    const graphRun = probe({ TFJS_BACKEND: "", FMNIST_GRAPH: "" }, { script: TRAINING_PROBE });
    const eager = probe({ TFJS_BACKEND: "", FMNIST_GRAPH: "0" }, { script: TRAINING_PROBE }).info;
    const graph = graphRun.info;
    assert.equal(graphRun.stderr, "", "recording and running graphs print nothing");
    assert.match(graph?.mode ?? "", /^graph mode /);
    assert.match(eager?.mode ?? "", /^op by op \(FMNIST_GRAPH=0\)$/);
    assert.ok((graph?.kernels ?? Infinity) <= 5, `a graph step ran ${graph?.kernels} kernels`);
    assert.ok((eager?.kernels ?? 0) > 10, `an eager step ran ${eager?.kernels} kernels`);
  },
);

test("an unknown TFJS_BACKEND value is rejected by initBackend, with no stack trace", () => {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "-e", PROBE],
    {
      cwd: ROOT,
      env: { ...process.env, TFJS_BACKEND: "gpu" },
      encoding: "utf8",
    },
  );
  assert.notEqual(result.status, 0);
  // Not while lib/backend loads (that would be an import's stack trace), but where every notebook and
  // script awaits the backend.
  assert.match(result.stdout, /^ERROR TFJS_BACKEND=gpu is not one of tensorflow, wasm, cpu$/m);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});
