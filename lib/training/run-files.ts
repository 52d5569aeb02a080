/**
 * The files of one run folder and what binds them: the checkpoint (state.json), the saved model
 * (model.json) and history.json all carry the run's identity — the profile, variant and data it was trained
 * with. A file of another run copied into the folder is refused with a message naming both, never shown as
 * this run's.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { LayersModel } from "@tensorflow/tfjs";
import type { PreparedSplit } from "../data";
import { readPlainText, resolveAtomicDir } from "../files";
import { FileProblemError } from "../errors";
import { projectRelative } from "../paths";
import type { RunPaths } from "../paths";
import type { Profile } from "../session";
import { epochsIn, parseHistory } from "./history";
import type { History } from "./history";
import { savedModelRun } from "./model-store";
import { ARTICLE_SCHEDULE } from "./schedules";
import type { TrainingVariant } from "./variants";

/** Far more than the history of any run here takes, far less than a runaway file. */
const MAX_RUN_JSON_BYTES = 16 * 2 ** 20;

/**
 * A model's architecture in twelve hex digits: every layer's class and settings, not its name (names count
 * up with every model a process builds) nor its weights. An edited model gets another one.
 */
export function architectureOf(model: LayersModel): string {
  const layers = model.layers.map((layer) => {
    const { name: _name, ...config } = layer.getConfig();
    return [layer.getClassName(), config];
  });
  return createHash("sha256").update(JSON.stringify(layers)).digest("hex").slice(0, 12);
}

/** What identifies a run: a checkpoint must match it to be resumed, a model and history to be used. */
export function runIdentity(
  profile: Profile,
  variant: TrainingVariant,
  train: Pick<PreparedSplit, "count">,
  test: Pick<PreparedSplit, "count">,
  architecture: string,
) {
  const { name, epochs, batchSize, initialLearningRate, momentum, seed } = profile;
  return {
    name,
    epochs,
    batchSize,
    initialLearningRate,
    momentum,
    seed,
    trainExamples: train.count,
    testExamples: test.count,
    variant: variant.name,
    augment: variant.augment,
    schedule: (variant.schedule ?? ARTICLE_SCHEDULE).name,
    architecture,
  };
}

export type RunIdentity = ReturnType<typeof runIdentity>;

interface CheckpointState {
  fingerprint: RunIdentity;
  history: History;
}

export interface FoundCheckpoint {
  dir: string;
  state: CheckpointState;
  finished: boolean;
}

/** The differences between two identities, as "key a → b", or [] when they are the same run. */
function identityDifferences(found: unknown, expected: RunIdentity): string[] {
  const record = (found ?? {}) as Record<string, unknown>;
  return (Object.keys(expected) as (keyof RunIdentity)[])
    .filter((key) => record[key] !== expected[key])
    .map((key) => `${key} ${record[key]} → ${expected[key]}`);
}

/** "variant X, profile quick, 8 epochs": enough of an identity for the reader to tell two runs apart. */
function describeRun(run: unknown): string {
  const r = (run ?? {}) as Partial<RunIdentity>;
  return `${r.variant}, profile ${r.name}, ${r.epochs} epochs, ${r.trainExamples} training images, seed ${r.seed}`;
}

/** A checkpoint folder's state.json, read and checked; a damaged one says how to start again. */
function readCheckpointState(found: string): CheckpointState {
  const statePath = path.join(found, "state.json");
  try {
    const raw = JSON.parse(
      readPlainText(statePath, { maxBytes: MAX_RUN_JSON_BYTES, noLinks: true }),
    ) as CheckpointState;
    return { ...raw, history: parseHistory(JSON.stringify(raw.history), statePath) };
  } catch (error) {
    throw new FileProblemError(
      projectRelative(statePath),
      `is damaged, so the checkpoint cannot be resumed (${(error as Error).message})`,
      `delete ${projectRelative(found)} to start the run again`,
    );
  }
}

/**
 * The checkpoint of this same run, if there is one. A checkpoint of a different run is an error rather
 * than silently overwritten or resumed.
 */
export async function findCheckpoint(
  dir: string,
  expected: RunIdentity,
): Promise<FoundCheckpoint | undefined> {
  const found = resolveAtomicDir(dir);
  if (!found) return undefined;
  const state = readCheckpointState(found);
  const differences = identityDifferences(state.fingerprint, expected);
  if (state.fingerprint?.architecture !== expected.architecture) {
    throw new FileProblemError(
      projectRelative(found),
      `holds the run of another model (${differences.join(", ")}) than the one built here`,
      "train this model first (notebook 3, or npm run train): its training sets that run aside, " +
        "deleting nothing",
    );
  }
  if (differences.length > 0) {
    throw new FileProblemError(
      projectRelative(found),
      `cannot be resumed: it belongs to a different run (${differences.join(", ")})`,
      "delete that folder to start this run from scratch",
    );
  }
  const epochs = epochsIn(state.history);
  if (epochs > expected.epochs) {
    throw new FileProblemError(
      projectRelative(path.join(found, "state.json")),
      `records ${epochs} epochs, more than the ${expected.epochs} this run has: the history in it was edited or damaged`,
      `delete ${projectRelative(found)} to start the run again`,
    );
  }
  return { dir: found, state, finished: epochs >= expected.epochs };
}

/** Where the run of another architecture than the folder's is kept, beside the folder. */
function setAsideDir(dir: string, architecture: string | undefined): string {
  return `${dir}.model-${architecture ?? "unrecorded"}`;
}

/** The items of a run folder that belong to its model's run (the lock and temporary files stay). */
const RUN_ITEMS = [
  "checkpoint",
  "checkpoint.old",
  "model",
  "history.json",
  "plot.png",
  "montage.png",
];

async function moveRunItems(from: string, to: string): Promise<void> {
  await fs.promises.mkdir(to, { recursive: true });
  // history.json before the checkpoint: a move cut short leaves the checkpoint, so the next start moves
  // the rest, and never a finished-looking history without its checkpoint.
  for (const item of [...RUN_ITEMS].reverse()) {
    const source = path.join(from, item);
    if (fs.existsSync(source)) await fs.promises.rename(source, path.join(to, item));
  }
}

/**
 * Before a run starts in `dir` (locked): a run of another architecture there (the reader edited the model)
 * is moved, whole, to a folder beside it named after that architecture; and a run of this architecture set
 * aside earlier (the reader changed the model back) is moved back in. Nothing is deleted. Returns a note
 * for the reader, or undefined when nothing moved.
 */
export async function setAsideOtherModelsRun(
  dir: string,
  expected: RunIdentity,
): Promise<string | undefined> {
  const notes: string[] = [];
  const found = resolveAtomicDir(path.join(dir, "checkpoint"));
  if (found) {
    let architecture: string | undefined;
    try {
      architecture = readCheckpointState(found).fingerprint?.architecture;
    } catch {
      return undefined; // a damaged checkpoint: findCheckpoint says what to do with it
    }
    if (architecture === expected.architecture) return undefined;
    const aside = setAsideDir(dir, architecture);
    await moveRunItems(dir, aside);
    notes.push(
      `The run of another model in ${projectRelative(dir)} is kept in ${projectRelative(aside)}`,
    );
  }
  const earlier = setAsideDir(dir, expected.architecture);
  if (fs.existsSync(earlier)) {
    await moveRunItems(earlier, dir);
    await fs.promises.rm(earlier, { recursive: true, force: true });
    notes.push(`this model's own run, set aside before, is back from ${projectRelative(earlier)}`);
  }
  if (notes.length === 0) return undefined;
  return `${notes.join("; ")}.`;
}

/** history.json as written: the run's identity beside the per-epoch series. */
export function historyFileText(run: RunIdentity, history: History): string {
  return JSON.stringify({ run, ...history }, null, 1);
}

/** A run's history.json, checked: its series, and the identity of the run that wrote it. */
function readHistoryFile(file: string): { run: unknown; history: History } {
  const advice =
    "delete it: the run's training (notebook 3 or npm run train) writes it again from the " +
    "checkpoint, without training";
  let text: string;
  try {
    text = readPlainText(file, { maxBytes: MAX_RUN_JSON_BYTES, noLinks: true });
  } catch (error) {
    throw new FileProblemError(projectRelative(file), (error as Error).message, advice);
  }
  let value: { run?: unknown };
  try {
    value = JSON.parse(text) as { run?: unknown };
  } catch (error) {
    const problem =
      text.trim() === "" ? "is empty" : `is not valid JSON (${(error as Error).message})`;
    throw new FileProblemError(projectRelative(file), `${problem}: the file is damaged`, advice);
  }
  try {
    const { run, ...series } = value ?? {};
    return { run, history: parseHistory(JSON.stringify(series), projectRelative(file)) };
  } catch (error) {
    throw new FileProblemError(projectRelative(file), (error as Error).message, advice);
  }
}

/** "data/runs/full/checkpoint (MiniVGGNet (article), profile full, …)": a checkpoint and its run. */
function checkpointRun(checkpoint: FoundCheckpoint): string {
  return `${projectRelative(checkpoint.dir)} (${describeRun(checkpoint.state.fingerprint)})`;
}

/** A file that belongs to another run than the checkpoint: names both, and what to delete. */
function otherRunError(
  file: string,
  fileRun: unknown,
  checkpoint: FoundCheckpoint,
  advice: string,
) {
  return new FileProblemError(
    projectRelative(file),
    `belongs to another run (${describeRun(fileRun)}) than ${checkpointRun(checkpoint)}`,
    advice,
  );
}

/** The model or history (or both) of a run saved before runs carried their identity. */
function unidentifiedError(files: string[], checkpoint: FoundCheckpoint) {
  const [them, they, carry] =
    files.length === 1 ? ["it", "it", "carries"] : ["them", "they", "carry"];
  return new FileProblemError(
    files.join(" and "),
    `${carry} no run identity (an earlier version of the tutorial saved ${them}), so ${they} cannot be ` +
      `told to belong to the run of ${checkpointRun(checkpoint)}`,
    `delete ${files.join(" and ")}: the training (notebook 3 or npm run train) saves ${them} again from ` +
      "the checkpoint, without training",
  );
}

/** Whether the run's saved model and history.json are there (whatever they hold). */
export function runResultsWritten(paths: RunPaths): boolean {
  return fs.existsSync(path.join(paths.model, "model.json")) && fs.existsSync(paths.history);
}

/**
 * The history of a run whose every file is there and is this run's: a finished checkpoint, the saved model
 * and history.json, all of the checkpoint's run, the history equal to the checkpoint's. Undefined when the
 * model or history is not written yet (a run to finish, not to reuse); a file of another run, or a history
 * that differs from the checkpoint's, is an error naming it.
 */
export function completeRunHistory(paths: RunPaths, found: FoundCheckpoint): History | undefined {
  if (!found.finished || !runResultsWritten(paths)) return undefined;
  const regenerated =
    "the training (notebook 3 or npm run train) saves it again from the checkpoint";
  const modelRun = savedModelRun(paths.model);
  const saved = readHistoryFile(paths.history);
  const unidentified = [paths.model, paths.history]
    .filter((_, i) => [modelRun, saved.run][i] === undefined)
    .map(projectRelative);
  if (unidentified.length > 0) throw unidentifiedError(unidentified, found);
  if (identityDifferences(modelRun, found.state.fingerprint).length > 0)
    throw otherRunError(
      paths.model,
      modelRun,
      found,
      `delete ${projectRelative(paths.model)}: ${regenerated}`,
    );
  const deleteHistory = `delete ${projectRelative(paths.history)}: ${regenerated}`;
  if (identityDifferences(saved.run, found.state.fingerprint).length > 0)
    throw otherRunError(paths.history, saved.run, found, deleteHistory);
  if (JSON.stringify(saved.history) !== JSON.stringify(found.state.history)) {
    throw new FileProblemError(
      projectRelative(paths.history),
      `differs from the history in ${projectRelative(found.dir)} (it was edited or damaged)`,
      deleteHistory,
    );
  }
  return saved.history;
}
