/**
 * Train from a terminal, as the training notebook does: `npm run train` (profile from FMNIST_PROFILE or the
 * backend's default). Shows a progress bar per epoch, a Keras-like line after each, resumes an interrupted
 * run, and saves the model and history under data/runs/<profile>/ for the evaluation notebooks.
 * `npm run train -- --improved` trains the deeper, augmented variant of notebook 6 instead.
 */
import { disposeSplit, prepareSplit } from "../lib/data";
import { loadProfileData, startSession } from "../lib/session";
import {
  describeEstimate,
  disposeModel,
  estimateRunTimes,
  IMPROVED_VARIANT,
  TrainingInterrupted,
  trainOrReuse,
} from "../lib/training";

async function main(): Promise<void> {
  const improved = process.argv.includes("--improved");
  const session = await startSession();
  console.log(describeEstimate(session, await estimateRunTimes(session)));
  const data = await loadProfileData(session.profile);
  const train = prepareSplit(data.train);
  const test = prepareSplit(data.test);
  const run = await trainOrReuse(
    session,
    train,
    test,
    improved ? { variant: IMPROVED_VARIANT } : {},
  );
  const last = run.history.val_acc.length - 1;
  console.log(
    `Final validation accuracy ${run.history.val_acc[last].toFixed(4)} after ${last + 1} epoch(s).`,
  );
  disposeSplit(train);
  disposeSplit(test);
  disposeModel(run.model);
}

main().catch((error) => {
  // An interrupted training has said so itself.
  if (!(error instanceof TrainingInterrupted))
    console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
