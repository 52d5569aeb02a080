/**
 * Train from a terminal, as the training notebook does: `npm run train` (profile from FMNIST_PROFILE or the
 * backend's default). Shows a progress bar per epoch, a Keras-like line after each, resumes an interrupted
 * run, and saves the model and history under data/runs/<profile>/ for the evaluation notebooks.
 * `npm run train -- --variant augmented`, `improved`, `one-cycle`, `one-cycle-seed7` or `one-cycle-seed13`
 * trains one of notebook 6's variants instead.
 */
import { disposeSplit, prepareSplit } from "../lib/data";
import { loadProfileData, startSession } from "../lib/session";
import {
  ARTICLE_VARIANT,
  describeEstimate,
  disposeModel,
  estimateRunTimes,
  TrainingInterrupted,
  trainOrReuse,
  variantNamed,
} from "../lib/training";
import type { TrainingVariant } from "../lib/training";

/** The variant `--variant NAME` names (default: the article's model). */
function chosenVariant(args: string[]): TrainingVariant {
  const at = args.indexOf("--variant");
  return at === -1 ? ARTICLE_VARIANT : variantNamed(args[at + 1]);
}

async function main(): Promise<void> {
  const variant = chosenVariant(process.argv.slice(2));
  const session = await startSession();
  // The estimate times the article's model for the profile's epochs: for another variant it would mislead.
  if (variant === ARTICLE_VARIANT)
    console.log(describeEstimate(session, await estimateRunTimes(session)));
  const data = await loadProfileData(session.profile);
  const train = prepareSplit(data.train);
  const test = prepareSplit(data.test);
  const run = await trainOrReuse(session, train, test, { variant });
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
