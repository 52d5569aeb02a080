/**
 * Notebook 6's recipes and `npm run train`: reuse a finished run of the variant unless asked to retrain,
 * else train it (lib/training's trainModel: notebook 3's build, compile and fit) with its progress shown.
 */
import type { PreparedSplit } from "../data";
import { runDirFor } from "../paths";
import type { Session } from "../session";
import { ARTICLE_VARIANT, reusableRun, trainModel, variantProfile } from "../training";
import type { TrainResult, TrainingVariant } from "../training";
import { runTitle, showFinishedRun, TrainingProgress } from "./training-progress";

export interface TrainOrReuseOptions {
  /** Default: the article's MiniVGGNet. */
  variant?: TrainingVariant;
  log?: (line: string) => void;
  /** A line per epoch (default), or one for the whole run (TrainingProgress). */
  epochLines?: boolean;
  /** Once the run folder is locked and checked, before training starts (npm run train's estimate). */
  onStart?: (initialEpoch: number) => void | Promise<void>;
}

/** Train this session's profile of `variant`, or load its finished run (FMNIST_RETRAIN=1 trains again). */
export async function trainOrReuse(
  session: Session,
  train: PreparedSplit,
  test: PreparedSplit,
  {
    variant = ARTICLE_VARIANT,
    log = console.log,
    epochLines = true,
    onStart,
  }: TrainOrReuseOptions = {},
): Promise<TrainResult & { reused: boolean }> {
  const finished = await reusableRun(session.profile, variant);
  if (finished) {
    showFinishedRun(finished, { log, epochLines });
    const { model, history } = finished;
    return { model, history, resumedFromEpoch: finished.profile.epochs, reused: true };
  }
  const profile = variantProfile(session.profile, variant);
  const title = runTitle(session.profile, variant);
  const result = await trainModel({
    profile,
    train,
    test,
    runDir: runDirFor(profile.name, variant),
    variant,
    log,
    onStart,
    callbacksFor: (history) => [new TrainingProgress(history, title, { log, epochLines })],
  });
  return { ...result, reused: false };
}
