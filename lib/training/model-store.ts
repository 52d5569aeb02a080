/**
 * Saving and loading models in the TensorFlow.js "layers-model" format (model.json + weights.bin), the
 * format `model.save("file://…")` writes with native TensorFlow — so either backend can read the result.
 * The pure-JS package has no file:// handler, hence these few lines; writes are atomic.
 */
import type { io, LayersModel, Optimizer, Tensor } from "@tensorflow/tfjs";
import * as fs from "fs";
import * as path from "path";
import { tf } from "../backend";
import { resolveAtomicDir, writeDirAtomic } from "../files";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
const OPTIMIZER_BIN = "optimizer.bin";
const OPTIMIZER_JSON = "optimizer.json";

/** The files that make up a saved model, ready to be written. */
export async function modelFiles(model: LayersModel): Promise<Record<string, string | Uint8Array>> {
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

export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await writeDirAtomic(dir, await modelFiles(model));
}

export async function loadModel(dir: string): Promise<LayersModel> {
  const found = resolveAtomicDir(dir);
  const jsonPath = found && path.join(found, MODEL_JSON);
  if (!jsonPath || !fs.existsSync(jsonPath)) {
    throw new Error(
      `no saved model in ${dir} (expected ${MODEL_JSON}); run the training notebook (03) first`,
    );
  }
  const json = JSON.parse(await fs.promises.readFile(jsonPath, "utf8"));
  const manifest = json.weightsManifest as io.WeightsManifestConfig;
  const buffers = await Promise.all(
    manifest.flatMap((group) => group.paths).map((p) => fs.promises.readFile(path.join(found!, p))),
  );
  const weightData = concatBytes(buffers);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: manifest.flatMap((group) => group.weights),
      weightData,
    }),
  );
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
export async function restoreOptimizer(optimizer: Optimizer, dir: string): Promise<void> {
  const specs = JSON.parse(
    await fs.promises.readFile(path.join(dir, OPTIMIZER_JSON), "utf8"),
  ) as io.WeightsManifestEntry[];
  const data = await fs.promises.readFile(path.join(dir, OPTIMIZER_BIN));
  const decoded = tf.io.decodeWeights(toArrayBuffer(data), specs);
  const weights: { name: string; tensor: Tensor }[] = specs.map((spec) => ({
    name: spec.name,
    tensor: decoded[spec.name],
  }));
  await optimizer.setWeights(weights);
  // setWeights keeps its own references (variables share the data); these handles are ours to release.
  tf.dispose(Object.values(decoded));
}

function concatBytes(buffers: Uint8Array[]): ArrayBuffer {
  const total = buffers.reduce((sum, b) => sum + b.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.length;
  }
  return out.buffer;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
