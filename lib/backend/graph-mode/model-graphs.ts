/**
 * Where graph mode plugs into tfjs-layers: the three places its model builds what `fit`, `evaluate` and
 * `predict` run — `makeTrainFunction` (the training step of `fit`, `fitDataset`, `trainOnBatch`),
 * `makeTestFunction` (`evaluate` and `fit`'s validation) and `predictLoop` (`predict`) — and `dispose`,
 * which also closes the model's graphs.
 */
import { concat, tidy } from "@tensorflow/tfjs";
import { LayersModel } from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import { ForwardGraphs } from "./forward";
import { ModelSteps } from "./train-step";
import type { TrainFunction } from "./train-step";

type TestFunction = (data: Tensor[]) => Tensor[];

/** tfjs-layers' model, with the members its type keeps protected. */
interface ModelInternals {
  optimizer: unknown;
  outputs: unknown[];
  testFunction: TestFunction;
  makeTrainFunction(): TrainFunction;
  makeTestFunction(): void;
  predictLoop(ins: Tensor | Tensor[], batchSize?: number, verbose?: boolean): Tensor | Tensor[];
  dispose(): ReturnType<LayersModel["dispose"]>;
}

interface Graphs {
  steps: ModelSteps;
  forward: ForwardGraphs;
}

const modelGraphs = new WeakMap<LayersModel, Graphs>();
const eagerModels = new WeakSet<LayersModel>();

function graphsOf(model: LayersModel): Graphs {
  let graphs = modelGraphs.get(model);
  if (graphs === undefined) {
    graphs = { steps: new ModelSteps(model), forward: new ForwardGraphs(model) };
    modelGraphs.set(model, graphs);
  }
  return graphs;
}

function closeGraphs(model: LayersModel): void {
  const graphs = modelGraphs.get(model);
  graphs?.steps.dispose();
  graphs?.forward.dispose();
  modelGraphs.delete(model);
}

/**
 * Run this compiled model op by op (Keras' `compile(run_eagerly=True)`): for comparing the two, and for
 * debugging. Call it after `compile`.
 */
export function runEagerly(model: LayersModel): void {
  if ((model as unknown as ModelInternals).optimizer == null)
    throw new Error(
      "runEagerly(model) applies to a compiled model: call it after model.compile(…)",
    );
  // A Sequential model runs through the functional model it builds when compiled; mark that one too.
  const inner = (model as unknown as { model?: LayersModel }).model;
  for (const m of inner ? [model, inner] : [model]) {
    eagerModels.add(m);
    closeGraphs(m);
  }
}

const asArray = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t : [t]);

let installed = false;

/** From now on, every model on native TensorFlow trains, evaluates and predicts with graphs (once). */
export function useGraphMode(): void {
  if (installed) return;
  installed = true;
  const prototype = LayersModel.prototype as unknown as ModelInternals;
  const { makeTrainFunction, makeTestFunction, predictLoop, dispose } = prototype;

  prototype.makeTrainFunction = function (this: LayersModel) {
    const eager = makeTrainFunction.call(this);
    if (eagerModels.has(this)) return eager;
    return (data: Tensor[]) => graphsOf(this).steps.train(data, eager);
  };

  prototype.makeTestFunction = function (this: ModelInternals) {
    makeTestFunction.call(this);
    const model = this as unknown as LayersModel;
    if (eagerModels.has(model)) return;
    const eager = this.testFunction;
    this.testFunction = (data: Tensor[]) =>
      graphsOf(model).forward.run("Evaluation", data, () => eager(data));
  };

  // tfjs-layers' own loop, with each batch's forward pass as a graph (one per batch shape).
  prototype.predictLoop = function (this: ModelInternals, ins, batchSize = 32, verbose) {
    const model = this as unknown as LayersModel;
    // tfjs-layers passes its inputs as a list; graphs cover models of one input.
    const inputs = asArray(ins);
    if (eagerModels.has(model) || inputs.length !== 1)
      return predictLoop.call(this, ins, batchSize, verbose);
    const [x] = inputs;
    return tidy(() => {
      const outputs: Tensor[][] = this.outputs.map(() => []);
      const n = x.shape[0];
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const batch = size === n ? x : x.slice(start, size);
        const out = graphsOf(model).forward.run("Prediction", [batch], () =>
          asArray(predictLoop.call(this, [batch], size, verbose)),
        );
        out.forEach((t, i) => outputs[i].push(t));
      }
      const joined = outputs.map((parts) => (parts.length === 1 ? parts[0] : concat(parts, 0)));
      return joined.length === 1 ? joined[0] : joined;
    });
  };

  prototype.dispose = function (this: LayersModel) {
    closeGraphs(this);
    return dispose.call(this);
  };
}
