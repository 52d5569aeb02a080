// Slow tier: trains in this and in child processes.
/**
 * A run folder under real use: two processes on it, a training started twice in one process, an
 * interrupt, a process killed (SIGKILL) at each stage of finishing a run, leftovers of killed writes, a
 * folder that cannot be written and a full disk.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import type { PreparedSplit } from "../../lib/data";
import { runPaths } from "../../lib/paths";
import { disposeModel, removeRunFolders, trainModel } from "../../lib/training";
import { finishedRunHistory } from "../../lib/training/train";
import { LOCK_FILE } from "../../lib/training/run-lock";
import { TrainingInterrupted } from "../../lib/training/interrupt";
import { exited, startChild, until } from "../helpers/child-training";
import { temporaryDirs } from "../helpers/temp-dirs";
import { TINY_PROFILE, TINY_VARIANT, tinySplits, tinyTrainOptions } from "../helpers/tiny-training";

const tempDir = temporaryDirs("fmnist-run-folder-");

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

describe("a lock naming a process that cannot be the run", () => {
  before(async () => {
    await initBackend();
    tinySplits();
  });
  const bootId = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  const startOf = (pid: number) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  };
  /** A live process that is not a training: what a reused process id points at. */
  async function withUnrelatedProcess(check: (pid: number) => Promise<void>): Promise<void> {
    const other = spawn("sleep", ["60"]);
    try {
      await check(other.pid!);
    } finally {
      other.kill();
    }
  }
  function writeLock(runDir: string, holder: Record<string, unknown>): void {
    fs.mkdirSync(runDir, { recursive: true });
    const lock = {
      host: os.hostname(),
      started: "2026-01-01T00:00:00.000Z",
      command: "node scripts/train.ts",
      bootId,
      ...holder,
    };
    fs.writeFileSync(path.join(runDir, LOCK_FILE), JSON.stringify(lock));
  }
  async function takenOver(runDir: string): Promise<string[]> {
    const notes: string[] = [];
    disposeModel(
      (await trainModel(tinyTrainOptions(runDir, { log: (line) => notes.push(line) }))).model,
    );
    return notes;
  }

  it("its id reused by another program (its start time differs): taken over, saying so", () =>
    withUnrelatedProcess(async (pid) => {
      const runDir = tempDir();
      writeLock(runDir, { pid, processStart: "1" });
      const notes = await takenOver(runDir);
      assert.match(
        notes[0],
        new RegExp(
          `^Took over .*run\\.lock: its run \\(process ${pid} on .*\\) is gone: process ${pid} is now another program \\(the id was reused\\)\\.$`,
        ),
      );
    }));

  it("from before the machine restarted (another boot id): taken over, saying so", () =>
    withUnrelatedProcess(async (pid) => {
      const runDir = tempDir();
      writeLock(runDir, {
        pid,
        processStart: startOf(pid),
        bootId: "00000000-0000-0000-0000-000000000000",
      });
      const notes = await takenOver(runDir);
      assert.match(
        notes[0],
        /^Took over .*run\.lock: its run \(.*\) started before this machine last restarted\.$/,
      );
    }));

  it("the same process, started when the lock says: still refused (it may be the run)", () =>
    withUnrelatedProcess(async (pid) => {
      const runDir = tempDir();
      writeLock(runDir, { pid, processStart: startOf(pid) });
      await assert.rejects(
        trainModel(tinyTrainOptions(runDir)),
        new RegExp(
          `is in use by another run: process ${pid} on .*Wait for it to finish or stop it`,
        ),
      );
    }));

  for (const [what, make] of [
    ["a FIFO", (file: string) => assert.equal(spawnSync("mkfifo", [file]).status, 0)],
    ["a link to /dev/zero", (file: string) => fs.symlinkSync("/dev/zero", file)],
  ] as const) {
    it(
      `a lock file that is ${what} is damaged, taken over without being read`,
      {
        timeout: 60_000,
      },
      async () => {
        const runDir = tempDir();
        fs.mkdirSync(runDir, { recursive: true });
        make(path.join(runDir, LOCK_FILE));
        const notes = await takenOver(runDir);
        assert.match(notes[0], /^Took over .*run\.lock: it is damaged\.$/);
        assert.ok(!fs.existsSync(path.join(runDir, LOCK_FILE)), "released at the end");
      },
    );
  }

  it("on another machine: refused, saying plainly that it cannot be checked from here", async () => {
    const runDir = tempDir();
    writeLock(runDir, { pid: process.pid, host: "elsewhere", bootId: "x" });
    await assert.rejects(
      trainModel(tinyTrainOptions(runDir)),
      new RegExp(
        `is in use by a run on another machine: process ${process.pid} on elsewhere, .* \\(lock file .*run\\.lock\\); ` +
          `this machine \\(${os.hostname()}\\) cannot check whether that run is still going\\. ` +
          "If it is not \\(or the folder was copied from there\\), delete the lock file",
      ),
    );
  });
});

describe("deleting run folders (the test command's own, before a fresh smoke run)", () => {
  it("refuses, deleting nothing, while one of them is being trained; deletes them all once it is done", async () => {
    const parent = tempDir();
    const finished = path.join(parent, "smoke-augmented");
    fs.mkdirSync(path.join(finished, "model"), { recursive: true });
    const live = path.join(parent, "smoke");
    const go = path.join(tempDir(), "go");
    const training = startChild(live, `--pause-until=${go}`);
    await until(() => training.output.includes("LOCKED"), "the training to start");
    await assert.rejects(
      removeRunFolders(parent),
      new RegExp(
        `not deleting ${parent}: ${live} is in use by another run: process ${training.child.pid} `,
      ),
    );
    assert.ok(fs.existsSync(path.join(finished, "model")), "nothing was deleted");
    assert.ok(fs.existsSync(path.join(live, LOCK_FILE)), "the live run keeps its lock");
    fs.writeFileSync(go, "");
    assert.equal(await exited(training.child), 0);
    await removeRunFolders(parent);
    assert.deepEqual(fs.readdirSync(parent), []);
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

  it("a start that fails after locking (a bad setting read by a callback) leaves the folder free", async () => {
    const runDir = tempDir();
    const badSetting = () => {
      throw new Error("FMNIST_TERMINAL_PROGRESS=yes is not one of 0, 1");
    };
    await assert.rejects(
      trainModel(options(runDir, { onStart: badSetting })),
      /is not one of 0, 1/,
    );
    const failingCallback = new (class extends tf.Callback {
      override async onTrainBegin() {
        badSetting();
      }
    })();
    await assert.rejects(
      trainModel(options(runDir, { callbacksFor: () => [failingCallback] })),
      /is not one of 0, 1/,
    );
    // The value fixed, the same run starts at once in the same process: no "already being trained".
    const run = await trainModel(options(runDir));
    assert.equal(run.history.loss.length, TINY_PROFILE.epochs);
    disposeModel(run.model);
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
    // Where the checkpoints go, then the interrupt noticed; where it stopped is the error's message, once.
    assert.equal(notes.length, 2, notes.join("\n"));
    assert.match(notes[0], /^Checkpoints after every epoch: /);
    assert.equal(
      notes[1],
      "Interrupt received: the training stops at the end of the current step.",
    );
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

  it("a lock deleted under a running training stops it before it writes again", async () => {
    const runDir = tempDir();
    let steps = 0;
    await assert.rejects(
      trainModel(
        options(runDir, {
          onBatchEnd: (batch, _batches, epoch) => {
            steps++;
            // As a clean-up that ignores locks would, in the middle of epoch 2.
            if (epoch === 1 && batch === 2) fs.rmSync(path.join(runDir, LOCK_FILE));
          },
        }),
      ),
      new RegExp(
        `${runDir}: its lock file .*run\\.lock was removed or replaced while this run trained \\(it is gone\\), ` +
          "so another run may be writing the folder; stopped before writing the checkpoint of epoch 2\\. " +
          "Once no other run uses the folder, run this one again: it resumes from its last checkpoint",
      ),
    );
    assert.equal(steps, 12, "epoch 2 ran to its end, and nothing was written after it");
    const state = JSON.parse(
      fs.readFileSync(path.join(runPaths(runDir).checkpoint, "state.json"), "utf8"),
    );
    assert.equal(state.history.loss.length, 1, "the checkpoint of epoch 1 is untouched");
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

  it(
    "a runs folder on a read-only disk says so (EROFS), not 'no such file or directory'",
    { skip: process.getuid?.() !== 0 && "mounting a read-only disk needs root (CI runs as root)" },
    async (t) => {
      const disk = tempDir();
      const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", disk]);
      if (mounted.status !== 0) return t.skip(`mount refused: ${mounted.stderr}`);
      try {
        await assert.rejects(
          trainModel(options(path.join(disk, "runs", "smoke"))),
          /runs\/smoke: cannot be written \(EROFS: read-only file system, mkdir .*\) — make that folder writable/,
        );
      } finally {
        spawnSync("umount", [disk]);
      }
    },
  );

  it("a disk too full for the checkpoints is found before the first epoch", async () => {
    const runDir = tempDir();
    const statfs = fs.promises.statfs;
    fs.promises.statfs = (async (dir: fs.PathLike) => ({
      ...(await statfs(dir)),
      bavail: 1,
      bsize: 4096,
    })) as typeof statfs;
    let steps = 0;
    try {
      await assert.rejects(
        trainModel(options(runDir, { onBatchEnd: () => void steps++ })),
        new RegExp(
          `${runDir}: cannot be written \\(the disk has 0\\.0 MB free, and the run's checkpoints and model ` +
            "need about \\d+\\.\\d MB\\) — free some disk space and run it again",
        ),
      );
    } finally {
      fs.promises.statfs = statfs;
    }
    assert.equal(steps, 0, "not one step trained");
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
