/**
 * Saving and loading models in the TensorFlow.js "layers-model" format (model.json + weights.bin), the
 * format `model.save("file://…")` writes with native TensorFlow — so either backend can read the result.
 * The pure-JS package has no file:// handler, hence these few lines; writes are atomic.
 */
import type { io, LayersModel, Optimizer, Tensor } from "@tensorflow/tfjs";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { tf } from "../backend";
import { readPlainFile, resolveAtomicDir, UnreadableFileError, writeDirAtomic } from "../files";
import { FileProblemError } from "../errors";
import { projectRelative } from "../paths";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
const OPTIMIZER_BIN = "optimizer.bin";
const OPTIMIZER_JSON = "optimizer.json";

/**
 * The files that make up a saved model, ready to be written. `run` (the run's identity) goes into
 * model.json's `userDefinedMetadata`, so that a model copied from another run is told apart.
 */
export async function modelFiles(
  model: LayersModel,
  run?: object,
): Promise<Record<string, string | Uint8Array>> {
  let files: Record<string, string | Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
        // The weights' digest binds weights.bin to this model.json: one copied from another run of the
        // same size is refused when loaded.
        userDefinedMetadata: { ...(run && { run }), weightsSha256: sha256(weightData) },
      };
      files = {
        [MODEL_JSON]: JSON.stringify(modelJson),
        [WEIGHTS_BIN]: new Uint8Array(weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return files;
}

export async function saveModel(model: LayersModel, dir: string, run?: object): Promise<void> {
  await writeDirAtomic(dir, await modelFiles(model, run));
}

/** What a saved model needs: weights of these dtypes, 4 bytes per value. */
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4 };

/**
 * A saved model or checkpoint whose files are damaged: names the file, what is wrong and what to do.
 * Such files never load: a model that loaded with garbage weights would fail later without a name.
 */
export class DamagedModelError extends FileProblemError {
  constructor(file: string, problem: string, advice: string) {
    super(projectRelative(file), problem, advice);
  }
}

const SAVED_MODEL_ADVICE = (dir: string) =>
  `delete ${projectRelative(dir)} and run notebooks/03-training.ipynb (or npm run train) again: ` +
  "it saves the model anew from the run's checkpoint";

/** Larger than any model.json or optimizer.json of these networks, far smaller than a runaway file. */
const MAX_JSON_BYTES = 16 * 2 ** 20;

/**
 * The bytes of one of a saved model's files, read as every supplied file is (`readPlainFile`): a plain
 * file, not a link (a FIFO would block the read for good), of exactly `exactBytes` or, for JSON, at most
 * MAX_JSON_BYTES; anything else is a DamagedModelError.
 */
function readModelFile(file: string, advice: string, exactBytes?: number): Buffer {
  try {
    return readPlainFile(file, {
      maxBytes: exactBytes ?? MAX_JSON_BYTES,
      exactBytes,
      noLinks: true,
    });
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    const { size } = error.details;
    const problem =
      size === undefined
        ? error.problem
        : exactBytes !== undefined
          ? `holds ${size} bytes, but its manifest describes ${exactBytes} (the file is truncated or belongs to another model)`
          : `holds ${size} bytes, more than any saved model's JSON (${MAX_JSON_BYTES})`;
    throw new DamagedModelError(file, problem, advice);
  }
}

function readJson(file: string, advice: string): unknown {
  const text = readModelFile(file, advice).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DamagedModelError(file, `is not valid JSON (${(error as Error).message})`, advice);
  }
}

/** The manifest's weights, checked to be a list of named, shaped weights of a known dtype. */
function weightSpecsOf(value: unknown, file: string, advice: string): io.WeightsManifestEntry[] {
  const specs = value as io.WeightsManifestEntry[];
  const valid =
    Array.isArray(specs) &&
    specs.every(
      (spec) =>
        typeof spec?.name === "string" &&
        Array.isArray(spec.shape) &&
        spec.shape.every((n) => Number.isSafeInteger(n) && n >= 0) &&
        spec.dtype in BYTES_PER_VALUE,
    );
  if (!valid) throw new DamagedModelError(file, "does not list its weights as expected", advice);
  return specs;
}

/**
 * The weights' bytes, checked against their specs: the exact size (a truncated or padded file is refused)
 * and finite values (a NaN or infinity would only show up as a useless model).
 */
function weightSizes(specs: io.WeightsManifestEntry[]): number[] {
  return specs.map((spec) => spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER_VALUE[spec.dtype]);
}

function checkedWeights(
  bytes: Uint8Array,
  specs: io.WeightsManifestEntry[],
  file: string,
  advice: string,
): ArrayBuffer {
  const sizes = weightSizes(specs);
  const expected = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length !== expected) {
    throw new DamagedModelError(
      file,
      `holds ${bytes.length} bytes, but its manifest describes ${expected} (the file is truncated or belongs to another model)`,
      advice,
    );
  }
  const buffer = toArrayBuffer(bytes);
  let offset = 0;
  specs.forEach((spec, i) => {
    if (spec.dtype === "float32") {
      const values = new Float32Array(buffer, offset, sizes[i] / 4);
      if (!values.every(Number.isFinite)) {
        throw new DamagedModelError(
          file,
          `weight ${spec.name} holds values that are not finite numbers (NaN or infinity)`,
          advice,
        );
      }
    }
    offset += sizes[i];
  });
  return buffer;
}

/**
 * Load a model saved by `saveModel` (or a checkpoint's). Every file is checked first; a damaged one is a
 * DamagedModelError naming it, with `advice` (default: how to save the model again).
 */
export async function loadModel(
  dir: string,
  advice = SAVED_MODEL_ADVICE(dir),
): Promise<LayersModel> {
  const found = resolveAtomicDir(dir);
  const jsonPath = found && path.join(found, MODEL_JSON);
  if (!jsonPath || !fs.existsSync(jsonPath)) {
    throw new Error(
      `no saved model in ${projectRelative(dir)} (expected ${MODEL_JSON}); run the training notebook (03) first`,
    );
  }
  const json = readJson(jsonPath, advice) as {
    modelTopology?: unknown;
    weightsManifest?: io.WeightsManifestConfig;
  };
  const manifest = json?.weightsManifest;
  if (
    typeof json?.modelTopology !== "object" ||
    json.modelTopology === null ||
    !Array.isArray(manifest) ||
    !manifest.every((group) => Array.isArray(group?.paths) && group.paths.length > 0)
  ) {
    throw new DamagedModelError(
      jsonPath,
      "is not a TensorFlow.js layers model (modelTopology or weightsManifest is missing or malformed)",
      advice,
    );
  }
  const specs = weightSpecsOf(
    manifest.flatMap((group) => group.weights),
    jsonPath,
    advice,
  );
  // A model saved here has one weights file beside model.json. Any other name — another folder's file
  // (`../other-run/model/weights.bin`), a device — would load what is not this model's.
  const weightPaths = manifest.flatMap((group) => group.paths);
  const name = typeof weightPaths[0] === "string" ? weightPaths[0].replace(/^\.\//, "") : "";
  if (weightPaths.length !== 1 || !/^[^/\\]+$/.test(name) || name === "." || name === "..") {
    throw new DamagedModelError(
      jsonPath,
      `names its weights ${JSON.stringify(weightPaths)}, but a saved model's weights are one file ` +
        `beside model.json (["./${WEIGHTS_BIN}"])`,
      advice,
    );
  }
  const weightsFile = path.join(found, name);
  const expectedBytes = weightSizes(specs).reduce((a, b) => a + b, 0);
  const bytes = readModelFile(weightsFile, advice, expectedBytes);
  const weightData = checkedWeights(bytes, specs, weightsFile, advice);
  const recorded = (json as { userDefinedMetadata?: { weightsSha256?: unknown } })
    .userDefinedMetadata?.weightsSha256;
  if (recorded !== undefined && recorded !== sha256(weightData)) {
    throw new DamagedModelError(
      weightsFile,
      `is not the weights ${MODEL_JSON} was saved with (their SHA-256 differs from the one it records): ` +
        "it was copied from another run, or damaged",
      advice,
    );
  }
  let model: LayersModel | undefined;
  try {
    const topology = { modelTopology: json.modelTopology } as io.ModelArtifacts;
    model = await tf.models.modelFromJSON(
      topology as Parameters<typeof tf.models.modelFromJSON>[0],
    );
    const built = model;
    // In a tidy, so that weights which do not fit leave no decoded tensors behind.
    tf.tidy(() => built.loadWeights(tf.io.decodeWeights(weightData, specs)));
  } catch (error) {
    model?.dispose();
    throw new DamagedModelError(
      jsonPath,
      `does not describe a model its weights fit (${(error as Error).message})`,
      advice,
    );
  }
  if (!outputsAreFinite(model)) {
    model.dispose();
    throw new DamagedModelError(
      weightsFile,
      "holds finite weights that make the model's outputs not finite (NaN or infinity) on a few " +
        "sample images: no usable model",
      advice,
    );
  }
  return model;
}

/** SHA-256 of a model's weight bytes, in hex. */
function sha256(data: ArrayBuffer): string {
  return createHash("sha256").update(new Uint8Array(data)).digest("hex");
}

/**
 * Whether the model's outputs are finite numbers for a few seeded sample images (black, white, noise):
 * weights that are finite can still overflow on the way through the network.
 */
function outputsAreFinite(model: LayersModel): boolean {
  const shape = model.inputs[0].shape.slice(1) as number[];
  return tf.tidy(() => {
    const samples = tf.stack([
      tf.zeros(shape),
      tf.ones(shape),
      tf.randomUniform(shape, 0, 1, "float32", 1),
    ]);
    const outputs = model.predict(samples) as Tensor;
    return outputs.isFinite().all().dataSync()[0] === 1;
  });
}

/**
 * The run identity saved in a model's model.json (`modelFiles`' `run`), or undefined for a model saved
 * without one. A model.json that cannot be read is a DamagedModelError, as in `loadModel`.
 */
export function savedModelRun(dir: string, advice = SAVED_MODEL_ADVICE(dir)): unknown {
  const found = resolveAtomicDir(dir) ?? dir;
  const json = readJson(path.join(found, MODEL_JSON), advice) as {
    userDefinedMetadata?: { run?: unknown };
  };
  return json?.userDefinedMetadata?.run;
}

/** An optimizer's state (SGD momentum accumulators and iteration count), as files for a checkpoint. */
export async function optimizerFiles(
  optimizer: Optimizer,
): Promise<Record<string, string | Uint8Array>> {
  const weights = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  // getWeights() makes a fresh scalar for the iteration count ("iter"); the rest are the live accumulators.
  tf.dispose(weights.filter((w) => w.name === "iter").map((w) => w.tensor));
  return { [OPTIMIZER_JSON]: JSON.stringify(specs), [OPTIMIZER_BIN]: new Uint8Array(data) };
}

/**
 * Restore optimizer state saved by `optimizerFiles`. TensorFlow.js matches momentum accumulators to
 * variables by position, so the order of the saved list is kept exactly.
 */
export async function restoreOptimizer(
  optimizer: Optimizer,
  dir: string,
  advice: string,
): Promise<void> {
  const specsFile = path.join(dir, OPTIMIZER_JSON);
  const specs = weightSpecsOf(readJson(specsFile, advice), specsFile, advice);
  const dataFile = path.join(dir, OPTIMIZER_BIN);
  const expectedBytes = weightSizes(specs).reduce((a, b) => a + b, 0);
  const data = readModelFile(dataFile, advice, expectedBytes);
  const decoded = tf.io.decodeWeights(checkedWeights(data, specs, dataFile, advice), specs);
  const weights: { name: string; tensor: Tensor }[] = specs.map((spec) => ({
    name: spec.name,
    tensor: decoded[spec.name],
  }));
  await optimizer.setWeights(weights);
  // setWeights keeps its own references (variables share the data); these handles are ours to release.
  tf.dispose(Object.values(decoded));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
