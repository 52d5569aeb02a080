/**
 * `model.fit`'s training step as one TensorFlow graph, what Keras' `model.fit` does by default (it wraps
 * its step in `tf.function`). TensorFlow.js runs a step eagerly: a batch-32 step of MiniVGGNet is a few
 * hundred ops, each sent from JavaScript, with tfjs-core's engine and tape between them while TensorFlow's
 * threads wait. Here the first step of each batch shape runs eagerly as always while its ops are recorded;
 * the recording becomes a graph (forward pass, loss, the tape's gradients, the optimiser's update, the
 * metrics), and every later step of that shape is one call into TensorFlow. The model's weights and the
 * optimiser's momentum stay the model's own tensors: the graph takes them in and gives their new values
 * back. The learning rate and the dropout seeds are inputs, so a schedule and seeded masks work as before.
 *
 * tfjs-layers builds the step in `LayersModel.makeTrainFunction`, which `fit`, `fitDataset` and
 * `trainOnBatch` all call; that is the one place this plugs in.
 */
import { dispose, getBackend, LayersModel, Tensor } from "@tensorflow/tfjs";
import type { Optimizer, Scalar, Variable } from "@tensorflow/tfjs";
import { NATIVE, nativeBackend } from "../native-kernels/kernel-utils";
import { dropoutSeeds, observeDropoutDraws } from "../native-kernels/Dropout_training";
import type { DropoutLayer } from "../native-kernels/Dropout_training";
import { DT_BOOL, DT_FLOAT, DT_INT32 } from "./graph-def";
import { GraphSession } from "./graph-session";
import { record } from "./record";
import type { GraphBackend } from "./record";
import { NotAGraph, stepGraph } from "./step-graph";
import type { Feed } from "./step-graph";

type TrainFunction = (data: Tensor[]) => Scalar[];

/** The parts of tfjs' classes the step reads that their types keep protected. */
interface ModelInternals {
  makeTrainFunction(): TrainFunction;
  optimizer: Optimizer;
}
interface OptimizerInternals {
  accumulations?: Array<{ variable: Variable } | undefined>;
  incrementIterations(): void;
}

/** The optimisers whose whole state is the model's weights, their momentum and scalar tensors. */
const GRAPH_OPTIMIZERS = ["SGD", "Momentum"];
/** Layers that draw random numbers: only Dropout's draws (on native, by TensorFlow) are fed to a graph. */
const RANDOM_LAYERS = ["GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D"];

/** The step's state, in the graph's order: every weight (trainable or not), then the momentum. */
function stateVariables(model: LayersModel, optimizer: Optimizer): Variable[] {
  const momentum = (optimizer as unknown as OptimizerInternals).accumulations ?? [];
  return [
    ...model.weights.map((w) => w.read() as Variable),
    ...momentum.map((a) => (a as { variable: Variable }).variable),
  ];
}

/** The optimiser's scalar tensors (tfjs' SGD keeps the negated learning rate, momentum its factor). */
function optimizerTensors(optimizer: Optimizer): string[] {
  return Object.keys(optimizer)
    .filter((key) => (optimizer as unknown as Record<string, unknown>)[key] instanceof Tensor)
    .sort();
}

function tensorOf(optimizer: Optimizer, key: string): Tensor {
  return (optimizer as unknown as Record<string, Tensor>)[key];
}

/** The batch's tensors: inputs, targets and any sample weights (tfjs-layers passes null for none). */
function present(data: Tensor[]): Tensor[] {
  return data.filter((t) => t != null);
}

const GRAPH_DTYPE = { float32: DT_FLOAT, int32: DT_INT32, bool: DT_BOOL } as Record<string, number>;

/** One batch shape's graph and what to feed it. */
class CompiledStep {
  constructor(
    private readonly session: GraphSession,
    readonly optimizer: Optimizer,
    private readonly resultCount: number,
    private readonly optimizerKeys: string[],
    private readonly draws: DropoutLayer[],
  ) {}

  run(model: LayersModel, data: Tensor[]): Scalar[] {
    const state = stateVariables(model, this.optimizer);
    const seeds = this.draws.map(dropoutSeeds);
    let outputs: Tensor[];
    try {
      outputs = this.session.run([
        ...present(data),
        ...state,
        ...this.optimizerKeys.map((key) => tensorOf(this.optimizer, key)),
        ...seeds,
      ]);
    } finally {
      dispose(seeds);
    }
    const newState = outputs.slice(this.resultCount);
    state.forEach((variable, i) => variable.assign(newState[i]));
    dispose(newState);
    (this.optimizer as unknown as OptimizerInternals).incrementIterations();
    return outputs.slice(0, this.resultCount) as Scalar[];
  }

  dispose(): void {
    this.session.dispose();
  }
}

/** Reasons already told, so that each is said once. */
const told = new Set<string>();

function tellEager(reason: string): void {
  if (told.has(reason)) return;
  told.add(reason);
  console.warn(`Training runs op by op (eagerly), not as one TensorFlow graph: ${reason}.`);
}

/** A model's graphs, one per batch shape (an epoch's last, smaller batch gets its own). */
class ModelSteps {
  private readonly steps = new Map<string, CompiledStep | { eager: string }>();

  constructor(private readonly model: LayersModel) {}

  train(data: Tensor[], eager: TrainFunction): Scalar[] {
    const optimizer = (this.model as unknown as ModelInternals).optimizer;
    const momentum = (optimizer as unknown as OptimizerInternals).accumulations;
    if (
      momentum !== undefined &&
      momentum.filter(Boolean).length < this.model.trainableWeights.length
    ) {
      // The momentum variables are made by the optimiser's first step: until then the state is not all there.
      return eager(data);
    }
    const key = [
      ...data.map((t) => (t == null ? "none" : `${t.dtype}[${t.shape.join(",")}]`)),
      stateVariables(this.model, optimizer).length,
    ].join(" ");
    const step = this.steps.get(key);
    if (step instanceof CompiledStep && step.optimizer === optimizer)
      return step.run(this.model, data);
    if (step instanceof CompiledStep)
      this.dispose(); // recompiled with another optimiser
    else if (step !== undefined) return eager(data);
    const reason = this.whyEager(optimizer);
    if (reason !== undefined) {
      this.steps.set(key, { eager: reason });
      tellEager(reason);
      return eager(data);
    }
    const { results, compiled } = this.capture(data, eager, optimizer);
    if (compiled instanceof CompiledStep) this.steps.set(key, compiled);
    else {
      this.steps.set(key, { eager: compiled });
      tellEager(compiled);
    }
    return results;
  }

  private whyEager(optimizer: Optimizer): string | undefined {
    if (getBackend() !== NATIVE) return `the backend is ${getBackend()}, not native TensorFlow`;
    const name = optimizer.getClassName();
    if (!GRAPH_OPTIMIZERS.includes(name))
      return `graphs cover SGD with or without momentum, and this model's optimizer is ${name}`;
    const random = this.model.layers.find((l) => RANDOM_LAYERS.includes(l.getClassName()));
    if (random) return `its ${random.getClassName()} layer draws random numbers in JavaScript`;
    return undefined;
  }

  /** One eager step, recorded, and the graph made from it (or why none could be). */
  private capture(
    data: Tensor[],
    eager: TrainFunction,
    optimizer: Optimizer,
  ): { results: Scalar[]; compiled: CompiledStep | string } {
    const backend = nativeBackend() as unknown as GraphBackend;
    const optimizerKeys = optimizerTensors(optimizer);
    const fed: Array<[string, Tensor]> = [
      ...present(data).map((t, i): [string, Tensor] => [`data${i}`, t]),
      ...stateVariables(this.model, optimizer).map((t, i): [string, Tensor] => [`state${i}`, t]),
      ...optimizerKeys.map((key): [string, Tensor] => [
        `optimizer_${key}`,
        tensorOf(optimizer, key),
      ]),
    ];
    const ids = backend.getInputTensorIds(fed.map(([, t]) => t));
    const feeds: Feed[] = fed.map(([key, t], i) => ({
      key,
      id: ids[i],
      dtype: GRAPH_DTYPE[t.dtype] ?? -1,
      shape: t.shape,
    }));
    const draws: Array<{ layer: DropoutLayer; id: number }> = [];
    observeDropoutDraws((layer, seeds) =>
      draws.push({ layer, id: backend.getInputTensorIds([seeds])[0] }),
    );
    let recorded: ReturnType<typeof record<Scalar[]>>;
    try {
      recorded = record(backend, () => eager(data));
    } finally {
      observeDropoutDraws(undefined);
    }
    const results = recorded.result;
    const dropoutLayers = this.model.layers.filter((l) => l.getClassName() === "Dropout").length;
    if (draws.length < dropoutLayers)
      return { results, compiled: "a Dropout layer drew its mask in JavaScript" };
    draws.forEach(({ id }, i) =>
      feeds.push({ key: `dropout_seeds${i}`, id, dtype: DT_INT32, shape: [2] }),
    );
    const fetches = backend.getInputTensorIds([
      ...results,
      ...stateVariables(this.model, optimizer),
    ]);
    try {
      const session = GraphSession.load(backend, stepGraph(recorded.recording, feeds, fetches));
      const compiled = new CompiledStep(
        session,
        optimizer,
        results.length,
        optimizerKeys,
        draws.map((d) => d.layer),
      );
      return { results, compiled };
    } catch (e) {
      const message = (e as Error).message.split("\n")[0];
      return {
        results,
        compiled:
          e instanceof NotAGraph ? message : `TensorFlow did not load its graph (${message})`,
      };
    }
  }

  dispose(): void {
    for (const step of this.steps.values()) if (step instanceof CompiledStep) step.dispose();
    this.steps.clear();
  }
}

const modelSteps = new WeakMap<LayersModel, ModelSteps>();
const eagerModels = new WeakSet<LayersModel>();

/**
 * Train this compiled model op by op (Keras' `compile(run_eagerly=True)`): for comparing the two, and for
 * debugging. Call it after `compile`.
 */
export function runEagerly(model: LayersModel): void {
  if ((model as unknown as ModelInternals).optimizer == null)
    throw new Error(
      "runEagerly(model) applies to a compiled model: call it after model.compile(…)",
    );
  // A Sequential model trains through the functional model it builds when compiled; mark that one too.
  const inner = (model as unknown as { model?: LayersModel }).model;
  for (const m of inner ? [model, inner] : [model]) {
    eagerModels.add(m);
    modelSteps.get(m)?.dispose();
    modelSteps.delete(m);
  }
}

let installed = false;

/** From now on, every model's training steps on native TensorFlow run as graphs (once; not undone). */
export function useGraphTrainingSteps(): void {
  if (installed) return;
  installed = true;
  const prototype = LayersModel.prototype as unknown as ModelInternals & {
    dispose(): ReturnType<LayersModel["dispose"]>;
  };
  const makeTrainFunction = prototype.makeTrainFunction;
  prototype.makeTrainFunction = function (this: LayersModel) {
    const eager = makeTrainFunction.call(this);
    if (eagerModels.has(this)) return eager;
    return (data: Tensor[]) => {
      let steps = modelSteps.get(this);
      if (steps === undefined) modelSteps.set(this, (steps = new ModelSteps(this)));
      return steps.train(data, eager);
    };
  };
  const disposeModel = prototype.dispose;
  prototype.dispose = function (this: LayersModel) {
    modelSteps.get(this)?.dispose();
    modelSteps.delete(this);
    return disposeModel.call(this);
  };
}
