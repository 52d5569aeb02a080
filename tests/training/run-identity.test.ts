// Slow tier: trains the tiny model, in this and a child process.
/**
 * A run folder's files belong together: the checkpoint, the saved model and history.json carry the run's
 * identity, and a file of another run (copied in, or left from an edit) is refused naming both, whether a
 * notebook loads the run or a training would finish it. Also what the reader sees around a run's lifetime:
 * a damaged history names its file, a run being trained says so (and by whom), and nothing is printed
 * about training before the folder is known to be free.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { initBackend } from "../../lib/backend";
import { runPaths } from "../../lib/paths";
import type { Session } from "../../lib/session";
import { disposeModel, loadFinishedRun, loadRunHistory, trainModel } from "../../lib/training";
import { finishedRunHistory } from "../../lib/training/train";
import { RunBusyError } from "../../lib/training/run-lock";
import { trainShowingProgress } from "../../lib/notebook";
import { exited, startChild, until } from "../helpers/child-training";
import { temporaryDirs } from "../helpers/temp-dirs";
import {
  TINY_DROPOUT_VARIANT,
  TINY_PROFILE,
  TINY_VARIANT,
  tinyModel,
  tinySplits,
  tinyTrainOptions,
} from "../helpers/tiny-training";

const tempDir = temporaryDirs("fmnist-run-identity-");

/** Where `loadRunHistory` and `trainShowingProgress` look for the tiny run: FMNIST_RUNS_DIR/smoke. */
const runsDir = tempDir();
const previousRunsDir = process.env.FMNIST_RUNS_DIR;
process.env.FMNIST_RUNS_DIR = runsDir;
after(() => {
  if (previousRunsDir === undefined) delete process.env.FMNIST_RUNS_DIR;
  else process.env.FMNIST_RUNS_DIR = previousRunsDir;
});

let article: string;
let other: string;
before(async () => {
  await initBackend();
  tinySplits();
  article = tempDir();
  other = tempDir();
  disposeModel((await trainModel(tinyTrainOptions(article))).model);
  disposeModel(
    (await trainModel(tinyTrainOptions(other, { variant: TINY_DROPOUT_VARIANT }))).model,
  );
});

function copyOf(dir: string): string {
  const copy = tempDir();
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

const finished = (runDir: string) => finishedRunHistory(tinyTrainOptions(runDir));

describe("a file of another run in the folder is refused, naming both", () => {
  it("another variant's history.json: not shown as this run's, and not silently rewritten", async () => {
    const runDir = copyOf(article);
    fs.copyFileSync(runPaths(other).history, runPaths(runDir).history);
    const named = new RegExp(
      `${runPaths(runDir).history}: belongs to another run \\(tiny\\+dropout, profile smoke, 3 epochs, ` +
        `48 training images, seed 42\\) than ${runPaths(runDir).checkpoint} \\(tiny, profile smoke, ` +
        `3 epochs, 48 training images, seed 42\\) — delete .*history\\.json: the training .* saves it again`,
    );
    await assert.rejects(finished(runDir), named);
    // Finishing the run from its checkpoint would have overwritten it without a word.
    let steps = 0;
    await assert.rejects(
      trainModel(tinyTrainOptions(runDir, { onBatchEnd: () => void steps++ })),
      named,
    );
    assert.equal(steps, 0);
    assert.deepEqual(
      fs.readFileSync(runPaths(runDir).history),
      fs.readFileSync(runPaths(other).history),
      "the copied file is left for the reader to look at",
    );
  });

  it("another run's model: refused before it is loaded", async () => {
    const runDir = copyOf(article);
    fs.rmSync(runPaths(runDir).model, { recursive: true });
    fs.cpSync(runPaths(other).model, runPaths(runDir).model, { recursive: true });
    await assert.rejects(
      finished(runDir),
      new RegExp(
        `${runPaths(runDir).model}: belongs to another run \\(tiny\\+dropout, .*\\) than .*checkpoint \\(tiny, `,
      ),
    );
  });

  it("a history edited to other figures: it differs from the checkpoint's", async () => {
    const runDir = copyOf(article);
    const file = runPaths(runDir).history;
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    saved.val_acc[2] = 0.99;
    fs.writeFileSync(file, JSON.stringify(saved));
    await assert.rejects(
      finished(runDir),
      new RegExp(
        `${file}: differs from the history in .*checkpoint \\(it was edited or damaged\\)`,
      ),
    );
  });

  it("a history of an earlier version (no run identity) says so, and how to mend it", async () => {
    const runDir = copyOf(article);
    const file = runPaths(runDir).history;
    const { run: _run, ...series } = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify(series));
    await assert.rejects(
      finished(runDir),
      new RegExp(
        `^FileProblemError: ${file}: carries no run identity \\(an earlier version of the tutorial saved it\\), ` +
          `so it cannot be told to belong to the run of .*checkpoint \\(tiny, .*\\) — delete ${file}: `,
      ),
    );
    // Deleting it, as the message says, and training again finishes the run without training.
    fs.rmSync(file);
    let steps = 0;
    const run = await trainModel(tinyTrainOptions(runDir, { onBatchEnd: () => void steps++ }));
    disposeModel(run.model);
    assert.equal(steps, 0);
    assert.ok(await finished(runDir));
  });

  it("a model and history both of an earlier version: one message names both", async () => {
    const runDir = copyOf(article);
    const { model, history } = runPaths(runDir);
    const modelJson = path.join(model, "model.json");
    const { userDefinedMetadata: _metadata, ...json } = JSON.parse(
      fs.readFileSync(modelJson, "utf8"),
    );
    fs.writeFileSync(modelJson, JSON.stringify(json));
    const { run: _run, ...series } = JSON.parse(fs.readFileSync(history, "utf8"));
    fs.writeFileSync(history, JSON.stringify(series));
    await assert.rejects(
      finished(runDir),
      new RegExp(
        `${model} and ${history}: carry no run identity \\(an earlier version of the tutorial saved them\\), ` +
          `so they cannot be told .* — delete ${model} and ${history}: .* saves them again from the ` +
          "checkpoint, without training",
      ),
    );
  });

  it("retraining (FMNIST_RETRAIN=1) replaces another run's files instead of refusing", async () => {
    const runDir = copyOf(article);
    fs.copyFileSync(runPaths(other).history, runPaths(runDir).history);
    const run = await trainModel(tinyTrainOptions(runDir, { restart: true }));
    disposeModel(run.model);
    assert.equal(run.resumedFromEpoch, 0);
    assert.deepEqual((await finished(runDir))?.loss, run.history.loss);
  });
});

describe("a damaged history.json names its file and what to do", () => {
  for (const [what, text, problem] of [
    [
      "truncated",
      (full: string) => full.slice(0, 100),
      /is not valid JSON \(.*\): the file is damaged/,
    ],
    ["empty", () => "", /is empty: the file is damaged/],
  ] as const) {
    it(what, async () => {
      const runDir = copyOf(article);
      const file = runPaths(runDir).history;
      fs.writeFileSync(file, text(fs.readFileSync(file, "utf8")));
      await assert.rejects(finished(runDir), (error: Error) => {
        assert.match(error.message, new RegExp(`^${file}: `));
        assert.match(error.message, problem);
        assert.match(error.message, / — delete it: the run's training .* writes it again/);
        assert.equal(error.stack, `FileProblemError: ${error.message}`, "no stack trace under it");
        return true;
      });
    });
  }
});

describe("a leftover of an interrupted folder swap", () => {
  it("checkpoint.old beside a finished run's checkpoint is removed", async () => {
    const runDir = copyOf(article);
    const { checkpoint } = runPaths(runDir);
    fs.cpSync(checkpoint, `${checkpoint}.old`, { recursive: true });
    assert.ok(await finished(runDir));
    assert.ok(!fs.existsSync(`${checkpoint}.old`));
  });
});

describe("while a run is being trained", () => {
  const session = { profile: TINY_PROFILE } as Session;
  const runDir = path.join(runsDir, TINY_PROFILE.name);

  /** The tiny run trained in a child process that holds the lock until `go` exists. */
  async function trainingElsewhere(go: string) {
    const { child, output } = startChild(runDir, `--pause-until=${go}`);
    await until(() => output.includes("LOCKED"), "the training to start");
    return {
      pid: child.pid!,
      finish: () => {
        fs.writeFileSync(go, "");
        return exited(child);
      },
    };
  }

  it("another notebook says it is being trained, by whom; a second training prints nothing of training", async () => {
    const elsewhere = await trainingElsewhere(path.join(tempDir(), "go"));
    try {
      await assert.rejects(
        loadRunHistory(TINY_PROFILE, TINY_VARIANT),
        new RegExp(
          `history\\.json: not written yet: the smoke run of tiny is being trained now, by process ` +
            `${elsewhere.pid} \\(".*train-child\\.ts.*", since \\S+\\) — wait for that training to finish`,
        ),
      );
      const lines: string[] = [];
      let started = false;
      await assert.rejects(
        trainShowingProgress(session, tinySplits().train, tinySplits().test, {
          variant: TINY_VARIANT,
          log: (line: string) => lines.push(line),
          onStart: () => void (started = true),
        }),
        RunBusyError,
      );
      assert.deepEqual(lines, [], "no 'Training N epochs' line before the refusal");
      assert.equal(
        started,
        false,
        "nothing ran (npm run train's estimate) before the lock was checked",
      );
    } finally {
      await elsewhere.finish();
    }
    const run = await loadFinishedRun(TINY_PROFILE, TINY_VARIANT);
    assert.equal(run.history.loss.length, TINY_PROFILE.epochs);
    disposeModel(run.model);
  });
});

describe("a run belongs to its model", () => {
  /** The tiny run's variant with its model edited: one more layer, the same name. */
  const EDITED: typeof TINY_VARIANT = { ...TINY_VARIANT, build: () => tinyModel(5, 0.25) };

  it("a finished run is restored by fit training no epoch, and nothing is written again", async () => {
    const runDir = copyOf(article);
    const files = [runPaths(runDir).history, path.join(runPaths(runDir).model, "weights.bin")];
    const before = files.map((file) => fs.statSync(file).mtimeMs);
    const notes: string[] = [];
    let steps = 0;
    const run = await trainModel(
      tinyTrainOptions(runDir, { log: (line) => notes.push(line), onBatchEnd: () => void steps++ }),
    );
    assert.equal(steps, 0);
    assert.equal(run.resumedFromEpoch, TINY_PROFILE.epochs);
    assert.deepEqual(run.history, await finished(runDir));
    assert.match(
      notes.join("\n"),
      /run in .* has finished: fit restores its 3 epochs and trains none/,
    );
    assert.deepEqual(
      files.map((file) => fs.statSync(file).mtimeMs),
      before,
    );
    disposeModel(run.model);
  });

  it("an edited model trains anew, the earlier run set aside beside the folder, and comes back when the edit is undone", async () => {
    const runDir = copyOf(article);
    const original = fs.readFileSync(runPaths(runDir).history, "utf8");
    await assert.rejects(
      finishedRunHistory(tinyTrainOptions(runDir, { variant: EDITED })),
      /checkpoint: holds the run of another model \(architecture \w+ → \w+\) than the one built here — train this model first/,
    );

    const notes: string[] = [];
    let steps = 0;
    const edited = await trainModel(
      tinyTrainOptions(runDir, {
        variant: EDITED,
        log: (line) => notes.push(line),
        onBatchEnd: () => void steps++,
      }),
    );
    disposeModel(edited.model);
    assert.equal(steps, 3 * 6, "the edited model trained every epoch");
    const aside = fs
      .readdirSync(path.dirname(runDir))
      .filter((name) => name.startsWith(`${path.basename(runDir)}.model-`));
    assert.equal(aside.length, 1, aside.join(", "));
    const asideDir = path.join(path.dirname(runDir), aside[0]);
    assert.match(notes[0], new RegExp(`is kept in ${asideDir}\\.$`));
    assert.equal(fs.readFileSync(path.join(asideDir, "history.json"), "utf8"), original);

    steps = 0;
    const back = await trainModel(tinyTrainOptions(runDir, { onBatchEnd: () => void steps++ }));
    disposeModel(back.model);
    assert.equal(steps, 0, "the original model's run came back finished");
    assert.equal(fs.readFileSync(runPaths(runDir).history, "utf8"), original);
    assert.ok(!fs.existsSync(asideDir), "its set-aside folder is gone");
    assert.deepEqual(await finishedRunHistory(tinyTrainOptions(runDir)), back.history);
  });
});
