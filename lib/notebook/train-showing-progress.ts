/**
 * Notebook 6's recipes and `npm run train`: lib/training's trainModel (notebook 3's build, compile and fit,
 * with the same callbacks) with the training's progress shown. A finished run trains no epoch again.
 */
import type { PreparedSplit } from "../data";
import { runDirFor } from "../paths";
import type { Session } from "../session";
import { ARTICLE_VARIANT, trainModel, variantProfile } from "../training";
import type { TrainResult, TrainingVariant } from "../training";
import { runTitle, TrainingProgress } from "./training-progress";

export interface TrainShowingProgressOptions {
  /** Default: the article's MiniVGGNet. */
  variant?: TrainingVariant;
  log?: (line: string) => void;
  /** A line per epoch (default), or one for the whole run (TrainingProgress). */
  epochLines?: boolean;
  /** Once the run folder is locked and checked, before training starts (npm run train's estimate). */
  onStart?: (initialEpoch: number) => void | Promise<void>;
}

/** Train this session's profile of `variant`, or finish or restore its run (FMNIST_RETRAIN=1 trains anew). */
export async function trainShowingProgress(
  session: Session,
  train: PreparedSplit,
  test: PreparedSplit,
  {
    variant = ARTICLE_VARIANT,
    log = console.log,
    epochLines = true,
    onStart,
  }: TrainShowingProgressOptions = {},
): Promise<TrainResult> {
  const profile = variantProfile(session.profile, variant);
  const title = runTitle(session.profile, variant);
  return await trainModel({
    profile,
    train,
    test,
    runDir: runDirFor(profile.name, variant),
    variant,
    log,
    onStart,
    callbacksFor: (restored) => [new TrainingProgress(title, restored, { log, epochLines })],
  });
}
