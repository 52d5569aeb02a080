// Slow tier: starts a tslab kernel.
/**
 * Jupyter's Interrupt in a real tslab kernel (tests/helpers/interrupt_kernel.py drives it with
 * jupyter_client, as JupyterLab does): the training stops within a step or so, the kernel survives, the
 * cell ends once it has stopped with one message saying where and what to do, the checkpoint is intact,
 * and running the cell again right away resumes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { temporaryDirs } from "../helpers/temp-dirs";

/** One line of interrupt_kernel.py's report. */
interface KernelEvent {
  event: string;
  output: string;
  alive: boolean;
  epochs: number;
}

const ROOT = path.resolve(__dirname, "../..");
const PYTHON = path.join(ROOT, ".venv/bin/python");
const KERNEL = path.join(ROOT, ".jupyter/kernels/fashion-mnist-tslab/kernel.json");
const tempDir = temporaryDirs("fmnist-interrupt-");

const missing = [PYTHON, KERNEL].filter((file) => !fs.existsSync(file));
const needsKernel =
  missing.length === 0
    ? {}
    : { skip: `run scripts/setup.sh first (${missing.join(", ")} missing)` };

describe("Interrupt in a real tslab kernel", needsKernel, () => {
  it("stops the training at the end of the step, keeps the checkpoint, and the cell run again resumes", () => {
    const runDir = tempDir();
    const result = spawnSync(PYTHON, ["tests/helpers/interrupt_kernel.py", runDir], {
      cwd: ROOT,
      env: { ...process.env, JUPYTER_PATH: path.join(ROOT, ".jupyter") },
      encoding: "utf8",
      timeout: 300_000,
    });
    const events = Object.fromEntries(
      result.stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as KernelEvent)
        .map((event) => [event.event, event]),
    );
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const first = events["first cell"];
    assert.ok(first.alive, "the kernel survives the interrupt");
    const received =
      /EPOCH 1\nInterrupt received: the training stops at the end of the current step\. \[step (\d)\]\n/.exec(
        first.output,
      );
    assert.ok(received, first.output);
    // The cell ends once the training has stopped, with one message and nothing of tslab's under it.
    assert.match(
      first.output,
      /^\[TrainingInterrupted: Training interrupted in epoch 2 after step \d of 6; the checkpoint of epoch 1 in .*checkpoint is intact: run the cell \(or command\) again to resume from it\.\]$/m,
    );
    assert.equal(first.output.split("Training interrupted in epoch").length, 2, first.output);
    assert.doesNotMatch(first.output, /Interrupted asynchronously|^\s+at /m);
    // At the end of the step that was running when the interrupt arrived: not one step more.
    const stoppedAfter = Number(/after step (\d) of 6/.exec(first.output)![1]);
    assert.ok(
      stoppedAfter - Number(received[1]) <= 1,
      `the interrupt arrived after step ${received[1]}, the training stopped after step ${stoppedAfter}`,
    );
    assert.equal(events.checkpoint.epochs, 1);
    assert.match(events["second cell"].output, /RESUMED 1 EPOCHS 4/);
  });
});
