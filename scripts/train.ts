/**
 * Train from a terminal, as the training notebook does: `npm run train` (profile from FMNIST_PROFILE or the
 * backend's default). Shows a progress bar per epoch, a Keras-like line after each, resumes an interrupted
 * run, and saves the model and history under data/runs/<profile>/ for the evaluation notebooks.
 * `npm run train -- --variant improved` trains notebook 6's improved model instead.
 */
import { parseArgs } from "util";
import { disposeSplit, holdOutValidation, prepareSplit } from "../lib/data";
import { ReaderError } from "../lib/errors";
import { counted } from "../lib/format";
import { trainShowingProgress } from "../lib/notebook";
import { loadProfileData, startSession } from "../lib/session";
import {
  ARTICLE_VARIANT,
  describeEstimate,
  disposeModel,
  estimateRunTimes,
  onValidationSplit,
  VARIANT_NAMES,
  variantNamed,
} from "../lib/training";
import type { TrainingVariant } from "../lib/training";
import { runCommand } from "./command";

const USAGE = `Usage: npm run train [-- --variant NAME] [--validation]

Trains, resumes or reuses a run, as notebook 3 does (notebook 6's model with --variant improved), and saves
its model and history in its run folder. The profile comes from FMNIST_PROFILE (full, quick or smoke).

  --variant NAME   what to train (default: article); NAME is one of ${VARIANT_NAMES.join(", ")}
  --validation     train on the training images less the validation split (5,000 of 60,000, stratified)
                   and validate on that split, never on the test set: how notebook 6 chooses its recipe
  --help           this text

The -- before the flags is npm's: without it npm keeps the flags for itself.`;

/**
 * The variant `--variant NAME` names (default: the article's model), or undefined after printing the help
 * `--help` asks for. Any other argument is refused: a mistyped flag must not train (or reuse) the
 * article's model instead of the one meant.
 */
function chosenVariant(args: string[]): TrainingVariant | undefined {
  let parsed: {
    values: { variant?: string; validation?: boolean; help?: boolean };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args,
      options: {
        variant: { type: "string" },
        validation: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    // `npm run train --variant improved`: npm took --variant for itself (npm_config_variant) and passed
    // the name on alone.
    const npmKept = ["variant", "validation", "help"].filter(
      (flag) => process.env[`npm_config_${flag}`],
    );
    const problem =
      npmKept.length > 0
        ? `npm kept --${npmKept[0]} for itself; put -- before the script's flags: npm run train -- --${npmKept[0]}${args.length ? ` ${args.join(" ")}` : ""}`
        : `${(error as Error).message.split(". ")[0]}; it takes only --variant NAME (NAME: ${VARIANT_NAMES.join(", ")}) and --validation`;
    throw new ReaderError(`npm run train: ${problem}`);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return undefined;
  }
  const variant =
    parsed.values.variant === undefined ? ARTICLE_VARIANT : variantNamed(parsed.values.variant);
  return parsed.values.validation ? onValidationSplit(variant) : variant;
}

async function main(): Promise<void> {
  const variant = chosenVariant(process.argv.slice(2));
  if (variant === undefined) return;
  const session = await startSession();
  const data = await loadProfileData(session.profile);
  const split = variant.validation
    ? holdOutValidation(data.train, session.profile.seed)
    : { train: data.train, validation: data.test };
  const train = prepareSplit(split.train);
  const test = prepareSplit(split.validation);
  const run = await trainShowingProgress(session, train, test, {
    variant,
    // Once the folder is locked and checked, when epochs are left to train. The estimate times the
    // article's model for the profile's epochs: for another variant it would mislead.
    onStart: async (initialEpoch) => {
      if (variant === ARTICLE_VARIANT && initialEpoch < session.profile.epochs)
        console.log(describeEstimate(session, await estimateRunTimes(session)));
    },
  });
  const last = run.history.val_acc.length - 1;
  console.log(
    `Final validation accuracy ${run.history.val_acc[last].toFixed(4)} after ${counted(last + 1, "epoch")}.`,
  );
  disposeSplit(train);
  disposeSplit(test);
  disposeModel(run.model);
}

runCommand(main);
