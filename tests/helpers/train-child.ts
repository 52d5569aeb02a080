/**
 * A tiny training in a process of its own, for tests that need real processes on one run folder: two at
 * once, or one killed (SIGKILL, no clean-up) at a given point.
 *   node -r ts-node/register tests/helpers/train-child.ts RUN_DIR [--kill-at=last-checkpoint|model-saved]
 *     [--pause-until=FILE]
 * Prints `LOCKED` once it holds the folder and trains (and there waits for FILE to exist), then `RESULT {resumedFromEpoch, epochs, batches}`;
 * on an error, `ERROR <message>` and exit status 1.
 */
import * as fs from "fs";
import { initBackend } from "../../lib/backend";
import { trainModel } from "../../lib/training";
import { syntheticSplit, TINY_PROFILE, TINY_VARIANT } from "./tiny-training";

const [runDir, ...flags] = process.argv.slice(2);
const flag = (name: string) =>
  flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
const killAt = flag("kill-at");
const pauseUntil = flag("pause-until");

const die = () => process.kill(process.pid, "SIGKILL");

async function main(): Promise<void> {
  await initBackend();
  let batches = 0;
  const result = await trainModel({
    profile: TINY_PROFILE,
    train: syntheticSplit(48, 1),
    test: syntheticSplit(16, 2),
    runDir,
    variant: TINY_VARIANT,
    log: (line) => console.log(`LOG ${line}`),
    onBatchEnd: () => {
      if (batches++ === 0) console.log("LOCKED");
      while (pauseUntil !== undefined && !fs.existsSync(pauseUntil))
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    },
    onEpochEnd: (history) => {
      if (killAt === "last-checkpoint" && history.loss.length === TINY_PROFILE.epochs) die();
    },
    onModelSaved: () => {
      if (killAt === "model-saved") die();
    },
  });
  console.log(
    `RESULT ${JSON.stringify({ resumedFromEpoch: result.resumedFromEpoch, epochs: result.history.loss.length, batches })}`,
  );
}

main().catch((error: Error) => {
  console.log(`ERROR ${error.message}`);
  process.exit(1);
});
