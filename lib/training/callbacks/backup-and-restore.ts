/**
 * Keras' BackupAndRestore for a run folder: `restore` locks the folder (run-lock.ts) and loads the last
 * finished epoch's checkpoint into the compiled model, so that `fit` resumes with `initialEpoch`; after
 * every epoch the weights, the optimiser's momentum and the history so far are written as one atomic
 * checkpoint; once the last epoch is done, the model and history.json are saved beside it. A run killed
 * after its last epoch finishes from the checkpoint without training again.
 */
import type { LayersModel, Logs, MomentumOptimizer } from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import type { PreparedSplit } from "../../data";
import { removeStaleTemps, writeDirAtomic, writeFileAtomic, WriteError } from "../../files";
import { FileProblemError } from "../../errors";
import { projectRelative, runDirFor, runPaths } from "../../paths";
import type { RunPaths } from "../../paths";
import type { Profile } from "../../session";
import { retrainSetting } from "../../settings";
import { epochsIn } from "../history";
import { loadModel, modelFiles, optimizerFiles, restoreOptimizer, saveModel } from "../model-store";
import { acquireRunLock } from "../run-lock";
import type { RunLock } from "../run-lock";
import {
  architectureOf,
  completeRunHistory,
  findCheckpoint,
  historyFileText,
  runIdentity,
  runResultsWritten,
  setAsideOtherModelsRun,
} from "../run-files";
import type { RunIdentity } from "../run-files";
import { ARTICLE_VARIANT } from "../variants";
import type { TrainingVariant } from "../variants";
import { RunHistory } from "./run-history";

export interface BackupOptions {
  /** The profile this run trains (epochs, batch size, rate, seed), as the variant sets it. */
  profile: Profile;
  /** Default: the article's MiniVGGNet. */
  variant?: TrainingVariant;
  train: Pick<PreparedSplit, "count">;
  test: Pick<PreparedSplit, "count">;
  /** Where the checkpoint, final model and history go; default the profile's run folder, e.g. data/runs/quick. */
  runDir?: string;
  /**
   * Train from scratch even when the folder holds a finished run of this experiment (default:
   * FMNIST_RETRAIN=1). An unfinished run is resumed either way.
   */
  restart?: boolean;
  /** Where notes go (a stale lock taken over, a resumed run); default console.log. */
  log?: (line: string) => void;
  /** After the model is saved and before the history is (the tests kill the process here). */
  onModelSaved?: () => void | Promise<void>;
}

export class BackupAndRestore extends RunHistory {
  /** The checkpoint folder, as the reader knows it (data/runs/full/checkpoint, or under their runs folder). */
  readonly checkpoint: string;
  /** Where its notes go, and those of the callbacks trained beside it (StopOnInterrupt's). */
  readonly log: (line: string) => void;
  private readonly runDir: string;
  private readonly paths: RunPaths;
  private identity?: RunIdentity;
  private lock?: RunLock;
  /** A finished run whose model and history are saved already: fit trains nothing, and nothing is written. */
  private reused = false;

  constructor(private readonly options: BackupOptions) {
    super();
    const { profile, variant = ARTICLE_VARIANT } = options;
    this.runDir = options.runDir ?? runDirFor(profile.name, variant);
    this.paths = runPaths(this.runDir);
    this.checkpoint = projectRelative(this.paths.checkpoint);
    this.log = options.log ?? console.log;
  }

  /**
   * Lock the run folder and load the last finished epoch's checkpoint, if any, into `model` (built and
   * compiled as the run was). Returns the epoch to start from: fit's `initialEpoch`, which is the run's
   * last epoch when it has finished, so that fit trains nothing (FMNIST_RETRAIN=1 starts it afresh).
   */
  async restore(model: LayersModel): Promise<number> {
    const { profile, variant = ARTICLE_VARIANT } = this.options;
    const log = this.log;
    const { restart = retrainSetting() } = this.options;
    const runDir = this.runDir;
    const identity = runIdentity(
      profile,
      variant,
      this.options.train,
      this.options.test,
      architectureOf(model),
    );
    this.identity = identity;
    this.lock = await acquireRunLock(runDir, () => this.training(model));
    try {
      if (this.lock.takeoverNote) log(this.lock.takeoverNote);
      await removeStaleTemps(runDir);
      const setAside = await setAsideOtherModelsRun(runDir, identity);
      if (setAside) log(setAside);
      let found = await findCheckpoint(this.paths.checkpoint, identity);
      const written = found?.finished === true && runResultsWritten(this.paths);
      // Retraining replaces a finished run's model and history, whosever they are; a run killed before it
      // wrote them is finished first.
      if (written && restart) found = undefined;
      if (!found) {
        // A run that starts afresh must not leave an earlier run's model and history beside its checkpoints.
        await removeRunResults(this.paths);
        await checkRoomForCheckpoints(runDir, model);
        return 0;
      }
      // A model or history of another run beside a finished checkpoint is refused.
      if (found.finished) completeRunHistory(this.paths, found);
      const advice = `delete ${projectRelative(found.dir)} to start the run again`;
      const saved = await loadModel(found.dir, advice);
      model.setWeights(saved.getWeights());
      saved.dispose();
      await restoreOptimizer(model.optimizer, found.dir, advice);
      const epochs = epochsIn(found.state.history);
      // The optimiser counts its steps: a history cut or padded by hand no longer matches them.
      const steps = epochs * Math.ceil(this.options.train.count / profile.batchSize);
      const iterations = model.optimizer.iterations;
      if (iterations !== steps) {
        throw new FileProblemError(
          projectRelative(path.join(found.dir, "state.json")),
          `records ${epochs} finished epochs (${steps} steps), but the optimiser's state beside it ` +
            `(optimizer.bin) has taken ${iterations} steps: the checkpoint's files do not belong together`,
          advice,
        );
      }
      this.startFrom(found.state.history);
      this.reused = written;
      if (written) {
        log(
          `The ${profile.name} run in ${projectRelative(runDir)} has finished: fit restores its ` +
            `${epochs} epochs and trains none (FMNIST_RETRAIN=1 trains it again)`,
        );
      } else if (epochs < profile.epochs) {
        await checkRoomForCheckpoints(runDir, model);
        log(`(resumed after epoch ${epochs} from the checkpoint)`);
      } else {
        log(`(all ${epochs} epochs are in the checkpoint: saving the model and history from it)`);
      }
      return epochs;
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  override async onTrainBegin(): Promise<void> {
    if (!this.lock) throw new Error("BackupAndRestore: call restore(model) before model.fit");
    const { epochs, initialEpoch } = this.params as { epochs: number; initialEpoch: number };
    if (initialEpoch < epochs) this.log(`Checkpoints after every epoch: ${this.checkpoint}`);
  }

  /** fit calls this for an epoch it broke off too (an interrupt): only a finished epoch is kept. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (!(await this.record(logs))) return;
    const identity = this.identity!;
    await this.releasingOnError(async () => {
      const optimizer = this.model.optimizer as MomentumOptimizer;
      this.lock!.checkHeld(`writing the checkpoint of epoch ${epoch + 1}`);
      await writeDirAtomic(this.paths.checkpoint, {
        ...(await modelFiles(this.model, identity)),
        ...(await optimizerFiles(optimizer)),
        "state.json": JSON.stringify({ fingerprint: identity, history: this.history }),
      });
    });
  }

  override async onTrainEnd(): Promise<void> {
    await this.releasingOnError(async () => {
      if (this.reused || epochsIn(this.history) < this.options.profile.epochs) return;
      this.lock!.checkHeld("saving the model");
      await saveModel(this.model, this.paths.model, this.identity!);
      await this.options.onModelSaved?.();
      await writeFileAtomic(this.paths.history, historyFileText(this.identity!, this.history));
    });
    await this.release();
  }

  /**
   * Whether the training this lock is for may still write: while its fit runs. Before fit starts nothing
   * is written, and a fit that failed to start (a bad setting, a callback's error) never will: a new start
   * in this process takes the lock over, and were the old fit to start after all, it would stop at its
   * first write (`checkHeld`).
   */
  private training(model: LayersModel): boolean {
    // Sequential.fit runs its inner LayersModel's fit, which is the one that marks itself training.
    const fitting = ((model as { model?: LayersModel }).model ?? model) as unknown as {
      isTraining?: boolean;
    };
    return fitting.isTraining === true;
  }

  private async releasingOnError(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  private async release(): Promise<void> {
    await this.lock?.release();
    this.lock = undefined;
  }
}

async function removeRunResults(paths: RunPaths): Promise<void> {
  await fs.promises.rm(paths.model, { recursive: true, force: true });
  await fs.promises.rm(`${paths.model}.old`, { recursive: true, force: true });
  await fs.promises.rm(paths.history, { force: true });
}

/**
 * Refuse to start training when the run folder's disk cannot take what the run writes: a checkpoint (the
 * weights and as much again of momentum) written beside the previous one, then the model. A full disk
 * would otherwise be found only after the first epoch had trained.
 */
async function checkRoomForCheckpoints(runDir: string, model: LayersModel): Promise<void> {
  const weightBytes = model.countParams() * 4;
  const needed = 2 * (2 * weightBytes) + weightBytes + 2 ** 20;
  const { bavail, bsize } = await fs.promises.statfs(runDir);
  const free = bavail * bsize;
  if (free < needed) {
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    throw new WriteError(
      runDir,
      Object.assign(
        new Error(
          `the disk has ${mb(free)} free, and the run's checkpoints and model need about ${mb(needed)}`,
        ),
        { code: "ENOSPC" },
      ),
    );
  }
}
