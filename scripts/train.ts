/**
 * Train from a terminal, as the training notebook does: `npm run train` (profile from FMNIST_PROFILE or the
 * backend's default). Shows a progress bar per epoch, a Keras-like line after each, resumes an interrupted
 * run, and saves the model and history under data/runs/<profile>/ for the evaluation notebooks.
 * `npm run train -- --variant improved` trains notebook 6's improved model instead; `augmented`,
 * `deeper-decay`, `one-cycle-40`, `one-cycle-40-seed7` and `one-cycle-40-seed13` the recipes notebook 6
 * lists as earlier measurements.
 */
import { parseArgs } from "util";
import { disposeSplit, prepareSplit } from "../lib/data";
import { ReaderError } from "../lib/errors";
import { trainOrReuse } from "../lib/notebook";
import { loadProfileData, startSession } from "../lib/session";
import {
  ARTICLE_VARIANT,
  describeEstimate,
  disposeModel,
  estimateRunTimes,
  TrainingInterrupted,
  VARIANT_NAMES,
  variantNamed,
} from "../lib/training";
import type { TrainingVariant } from "../lib/training";
import { runCommand } from "./command";

/**
 * The variant `--variant NAME` names (default: the article's model). Any other argument is refused: a
 * mistyped flag must not train (or reuse) the article's model instead of the one meant.
 */
function chosenVariant(args: string[]): TrainingVariant {
  let values: { variant?: string };
  try {
    ({ values } = parseArgs({ args, options: { variant: { type: "string" } }, strict: true }));
  } catch (error) {
    const problem = (error as Error).message.split(". ")[0];
    throw new ReaderError(
      `npm run train: ${problem}; it takes only --variant NAME (NAME: ${VARIANT_NAMES.join(", ")})`,
    );
  }
  return values.variant === undefined ? ARTICLE_VARIANT : variantNamed(values.variant);
}

async function main(): Promise<void> {
  const variant = chosenVariant(process.argv.slice(2));
  const session = await startSession();
  const data = await loadProfileData(session.profile);
  const train = prepareSplit(data.train);
  const test = prepareSplit(data.test);
  const run = await trainOrReuse(session, train, test, {
    variant,
    // Once the folder is locked and checked. The estimate times the article's model for the profile's
    // epochs: for another variant it would mislead.
    onStart: async () => {
      if (variant === ARTICLE_VARIANT)
        console.log(describeEstimate(session, await estimateRunTimes(session)));
    },
  });
  const last = run.history.val_acc.length - 1;
  console.log(
    `Final validation accuracy ${run.history.val_acc[last].toFixed(4)} after ${last + 1} epoch(s).`,
  );
  disposeSplit(train);
  disposeSplit(test);
  disposeModel(run.model);
}

// An interrupted training has said so itself.
runCommand(main, (error) => error instanceof TrainingInterrupted);
