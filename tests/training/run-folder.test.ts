/**
 * A run folder under real use: two processes on it, a training started twice in one process, an
 * interrupt, a process killed (SIGKILL) at each stage of finishing a run, leftovers of killed writes, a
 * folder that cannot be written and a full disk.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import type { PreparedSplit } from "../../lib/data";
import { runPaths } from "../../lib/paths";
import {
  disposeModel,
  finishedRunHistory,
  LOCK_FILE,
  trainModel,
  TrainingInterrupted,
} from "../../lib/training";
import { temporaryDirs } from "../helpers/temp-dirs";
import { TINY_PROFILE, TINY_VARIANT, tinySplits, tinyTrainOptions } from "../helpers/tiny-training";

const ROOT = path.resolve(__dirname, "../..");
const tempDir = temporaryDirs("fmnist-run-folder-");

/** A child process training the tiny run in `runDir` (tests/helpers/train-child.ts). */
function startChild(runDir: string, ...flags: string[]): { child: ChildProcess; output: string[] } {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "tests/helpers/train-child.ts", runDir, ...flags],
    { cwd: ROOT, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  const output: string[] = [];
  child.stdout!.setEncoding("utf8").on("data", (text: string) => output.push(...text.split("\n")));
  child.stderr!.resume();
  return { child, output };
}

function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")),
  );
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runChild(runDir: string, ...flags: string[]) {
  const { child, output } = startChild(runDir, ...flags);
  const status = await exited(child);
  const result = output.find((line) => line.startsWith("RESULT "));
  return {
    status,
    output,
    error: output.find((line) => line.startsWith("ERROR "))?.slice(6),
    result: result
      ? (JSON.parse(result.slice(7)) as {
          resumedFromEpoch: number;
          epochs: number;
          batches: number;
        })
      : undefined,
  };
}

describe("two processes on one run folder", () => {
  it("the second is refused with a message naming the first; the first finishes", async () => {
    const runDir = tempDir();
    const go = path.join(tempDir(), "go");
    const first = startChild(runDir, `--pause-until=${go}`);
    await until(() => first.output.includes("LOCKED"), "the first run to start");
    const second = await runChild(runDir);
    fs.writeFileSync(go, "");
    assert.equal(second.status, 1);
    assert.match(
      second.error ?? "",
      new RegExp(
        `is in use by another run: process ${first.child.pid} on ${os.hostname()}, started \\S+, ` +
          `command ".*train-child\\.ts.*" \\(lock file .*run\\.lock\\)\\. Wait for it to finish or stop it; ` +
          "if no such run is going any more, delete the lock file",
      ),
    );
    assert.equal(await exited(first.child), 0, first.output.join("\n"));
    assert.ok(!fs.existsSync(path.join(runDir, LOCK_FILE)), "the lock is released at the end");
  });

  it("a lock left by a killed process is taken over with a note, never stuck", async () => {
    const runDir = tempDir();
    const first = startChild(runDir, `--pause-until=${path.join(runDir, "never")}`);
    await until(() => first.output.includes("LOCKED"), "the first run to start");
    first.child.kill("SIGKILL");
    await exited(first.child);
    assert.ok(fs.existsSync(path.join(runDir, LOCK_FILE)), "the killed run left its lock");
    const second = await runChild(runDir);
    assert.equal(second.status, 0, second.output.join("\n"));
    assert.ok(
      second.output.some((line) =>
        new RegExp(
          `^LOG Took over .*run\\.lock: its run \\(process ${first.child.pid} on .*\\) is gone\\.$`,
        ).test(line),
      ),
      second.output.join("\n"),
    );
  });
});

describe("finishing a run, killed at each stage", () => {
  it("killed after the last epoch's checkpoint, before the model is saved: the next start saves it without training", async () => {
    const runDir = tempDir();
    const killed = await runChild(runDir, "--kill-at=last-checkpoint");
    assert.equal(killed.status, "SIGKILL");
    assert.ok(!fs.existsSync(runPaths(runDir).model), "no model was saved");
    const next = await runChild(runDir);
    assert.deepEqual(next.result, { resumedFromEpoch: 3, epochs: 3, batches: 0 });
    assert.ok(fs.existsSync(path.join(runPaths(runDir).model, "model.json")));
    assert.ok(fs.existsSync(runPaths(runDir).history));
  });

  it("killed after the model is saved, before history.json: not reused, but completed without training", async () => {
    const runDir = tempDir();
    const killed = await runChild(runDir, "--kill-at=model-saved");
    assert.equal(killed.status, "SIGKILL");
    assert.ok(fs.existsSync(path.join(runPaths(runDir).model, "model.json")));
    assert.ok(!fs.existsSync(runPaths(runDir).history));
    await initBackend();
    const split = { train: { count: 48 } as PreparedSplit, test: { count: 16 } as PreparedSplit };
    const finished = () =>
      finishedRunHistory({ profile: TINY_PROFILE, ...split, runDir, variant: TINY_VARIANT });
    assert.equal(await finished(), undefined, "a run without its history is not a finished run");
    const next = await runChild(runDir);
    assert.deepEqual(next.result, { resumedFromEpoch: 3, epochs: 3, batches: 0 });
    assert.equal((await finished())?.loss.length, 3);
  });
});

describe("one process", () => {
  before(async () => {
    await initBackend();
    tinySplits();
  });
  const options = tinyTrainOptions;

  it("a second start of a run that is going is refused with a clear message", async () => {
    const runDir = tempDir();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = trainModel(
      options(runDir, {
        onBatchEnd: () => started(),
        onEpochEnd: () => new Promise((resolve) => setTimeout(resolve, 100)),
      }),
    );
    await running;
    await assert.rejects(
      trainModel(options(runDir)),
      /is already being trained in this process \(since \S+\); wait for that training to finish, or interrupt it/,
    );
    disposeModel((await first).model);
  });

  it("SIGINT stops the training at the end of the step, keeps the checkpoint, and the next start resumes", async () => {
    const runDir = tempDir();
    const notes: string[] = [];
    let steps = 0;
    const run = trainModel(
      options(runDir, {
        log: (line) => notes.push(line),
        onBatchEnd: (batch, _batches, epoch) => {
          steps++;
          if (epoch === 1 && batch === 2) process.emit("SIGINT");
        },
      }),
    );
    await assert.rejects(
      run,
      (error: Error) =>
        error instanceof TrainingInterrupted &&
        /^Training interrupted in epoch 2 after step 2 of 6; the checkpoint of epoch 1 in .*checkpoint is intact: run the cell \(or command\) again to resume from it\.$/.test(
          error.message,
        ),
    );
    assert.equal(steps, 6 + 2, "not one step more");
    assert.equal(notes.length, 2);
    assert.equal(
      notes[0],
      "Interrupt received: the training stops at the end of the current step.",
    );
    assert.match(notes[1], /^Training interrupted in epoch 2 after step 2 of 6; /);
    assert.equal(process.listenerCount("SIGINT"), 0, "the listener is gone");
    const state = JSON.parse(
      fs.readFileSync(path.join(runPaths(runDir).checkpoint, "state.json"), "utf8"),
    );
    assert.equal(state.history.loss.length, 1);
    const resumed = await trainModel(options(runDir));
    assert.equal(resumed.resumedFromEpoch, 1);
    disposeModel(resumed.model);
  });

  it("started again right after an interrupt, a run waits for the stopping one and resumes it", async () => {
    const runDir = tempDir();
    let second: ReturnType<typeof trainModel> | undefined;
    const first = trainModel(
      options(runDir, {
        onEpochEnd: (history) => {
          if (history.loss.length !== 1) return;
          process.emit("SIGINT");
          // As a reader would: run the cell again while the first training is finishing its step.
          second = trainModel(options(runDir));
        },
      }),
    );
    await assert.rejects(first, TrainingInterrupted);
    const resumed = await second!;
    assert.equal(resumed.resumedFromEpoch, 1);
    assert.equal(resumed.history.loss.length, 3);
    disposeModel(resumed.model);
  });

  it("temporary files and folders of killed writes are removed on the next start", async () => {
    const runDir = tempDir();
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const staleFolder = `checkpoint.${gone}-1700000000000-3.tmp`;
    fs.mkdirSync(path.join(runDir, staleFolder));
    fs.writeFileSync(path.join(runDir, staleFolder, "weights.bin"), "half");
    fs.writeFileSync(path.join(runDir, `history.json.${gone}-1700000000000-4.tmp`), "{");
    disposeModel((await trainModel(options(runDir))).model);
    assert.deepEqual(
      fs.readdirSync(runDir).filter((name) => name.endsWith(".tmp")),
      [],
    );
  });

  it("a run folder that cannot be written is reported before any training", async () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, "not-a-folder"), "");
    const runDir = path.join(parent, "not-a-folder", "quick");
    let steps = 0;
    await assert.rejects(
      trainModel(options(runDir, { onBatchEnd: () => void steps++ })),
      /not-a-folder\/quick: cannot be written \(ENOTDIR: .*\) — check that folder and run it again/,
    );
    assert.equal(steps, 0);
  });

  it("a full disk names the file being written and what to do", async () => {
    const runDir = tempDir();
    const writeFile = fs.promises.writeFile;
    fs.promises.writeFile = async (file, ...rest) => {
      if (String(file).includes(`${path.sep}checkpoint.`)) {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      }
      return writeFile(file, ...rest);
    };
    const tensors = tf.memory().numTensors;
    try {
      await assert.rejects(
        trainModel(options(runDir)),
        new RegExp(
          `${runDir}/checkpoint: cannot be written \\(ENOSPC: no space left on device, write\\) — ` +
            "free some disk space and run it again",
        ),
      );
    } finally {
      fs.promises.writeFile = writeFile;
    }
    assert.equal(tf.memory().numTensors, tensors, "the failed run freed its model");
  });
});
