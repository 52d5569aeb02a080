/**
 * `model.fit`'s training step as one TensorFlow graph, what Keras' `model.fit` does by default (it wraps
 * its step in `tf.function`). TensorFlow.js runs a step eagerly: a batch-32 step of MiniVGGNet is a few
 * hundred ops, each sent from JavaScript, with tfjs-core's engine and tape between them while TensorFlow's
 * threads wait. Here the first step of each batch shape runs eagerly as always while its ops are recorded;
 * the recording becomes a graph (forward pass, loss, the tape's gradients, the optimiser's update, the
 * metrics), that step is undone and run again through the graph, and every later step of that shape is
 * one call into TensorFlow. The model's weights and the
 * optimiser's momentum stay the model's own tensors: the graph takes them in and gives their new values
 * back. The learning rate and the dropout seeds are inputs, so a schedule and seeded masks work as before.
 *
 * model-graphs.ts puts it where tfjs-layers builds the step, `makeTrainFunction`, which `fit`,
 * `fitDataset` and `trainOnBatch` all call.
 */
import { dispose, getBackend, Tensor } from "@tensorflow/tfjs";
import type { LayersModel, Optimizer, Scalar, Variable } from "@tensorflow/tfjs";
import { dropoutSeeds, NATIVE, observeDropoutDraws } from "../native-kernels";
import type { DropoutLayer } from "../native-kernels";
import { capture, feedsOf, graphBackend, present, shapesKey, tellEager } from "./capture";
import { DT_INT32 } from "./graph-def";
import type { GraphSession } from "./graph-session";

export type TrainFunction = (data: Tensor[]) => Scalar[];

/** The part of tfjs-layers' model the step reads that its type keeps protected. */
interface ModelInternals {
  optimizer: Optimizer;
}
interface OptimizerInternals {
  accumulations?: Array<{ variable: Variable } | undefined>;
  iterations_: number;
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

/** The step's inputs, named, in the graph's order (the dropout seeds come after them). */
function stepInputs(
  data: Tensor[],
  state: Variable[],
  optimizer: Optimizer,
  optimizerKeys: string[],
): Array<[string, Tensor]> {
  return [
    ...present(data).map((t, i): [string, Tensor] => [`data${i}`, t]),
    ...state.map((t, i): [string, Tensor] => [`state${i}`, t]),
    ...optimizerKeys.map((key): [string, Tensor] => [`optimizer_${key}`, tensorOf(optimizer, key)]),
  ];
}

/** One batch shape's graph and what to feed it. */
class CompiledStep {
  constructor(
    private readonly session: GraphSession,
    readonly optimizer: Optimizer,
    private readonly resultCount: number,
    private readonly optimizerKeys: string[],
    private readonly draws: DropoutLayer[],
  ) {}

  /** One step; `state` is the model's and optimiser's variables, as `stateVariables` lists them. */
  run(data: Tensor[], state: Variable[]): Scalar[] {
    const seeds = this.draws.map(dropoutSeeds);
    let outputs: Tensor[];
    try {
      const inputs = stepInputs(data, state, this.optimizer, this.optimizerKeys);
      outputs = this.session.run([...inputs.map(([, t]) => t), ...seeds]);
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

/** A model's graphs, one per batch shape (an epoch's last, smaller batch gets its own). */
export class ModelSteps {
  private readonly steps = new Map<string, CompiledStep | { eager: string }>();

  constructor(private readonly model: LayersModel) {}

  train(data: Tensor[], eager: TrainFunction): Scalar[] {
    // On another backend (the tests compare backends in one process) the step is the eager one, as always.
    if (getBackend() !== NATIVE) return eager(data);
    const optimizer = (this.model as unknown as ModelInternals).optimizer;
    const momentum = (optimizer as unknown as OptimizerInternals).accumulations;
    if (
      momentum !== undefined &&
      momentum.filter(Boolean).length < this.model.trainableWeights.length
    ) {
      // The momentum variables are made by the optimiser's first step: until then the state is not all there.
      return eager(data);
    }
    const state = stateVariables(this.model, optimizer);
    const key = `${shapesKey(data)} ${state.length}`;
    const step = this.steps.get(key);
    if (step instanceof CompiledStep && step.optimizer === optimizer) return step.run(data, state);
    if (step instanceof CompiledStep)
      this.dispose(); // recompiled with another optimiser
    else if (step !== undefined) return eager(data);
    const reason = this.whyEager(optimizer);
    if (reason !== undefined) {
      this.steps.set(key, { eager: reason });
      tellEager("Training", reason);
      return eager(data);
    }
    // The step's own update comes from the graph, as every later step's does: a run resumed from a
    // checkpoint records its graphs at other steps than the uninterrupted run did, and must still train
    // exactly as it would have. So the recorded eager step is undone (state and iteration count) and run
    // again as the graph, with the same batch and the same dropout seeds (the layer's for this step).
    const before = state.map((variable) => variable.clone());
    try {
      const { results, compiled } = this.capture(data, state, eager, optimizer);
      if (!(compiled instanceof CompiledStep)) {
        this.steps.set(key, { eager: compiled });
        tellEager("Training", compiled);
        return results;
      }
      this.steps.set(key, compiled);
      dispose(results);
      state.forEach((variable, i) => variable.assign(before[i]));
      (optimizer as unknown as OptimizerInternals).iterations_ -= 1;
      return compiled.run(data, state);
    } finally {
      dispose(before);
    }
  }

  private whyEager(optimizer: Optimizer): string | undefined {
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
    state: Variable[],
    eager: TrainFunction,
    optimizer: Optimizer,
  ): { results: Scalar[]; compiled: CompiledStep | string } {
    const backend = graphBackend();
    const optimizerKeys = optimizerTensors(optimizer);
    const feeds = feedsOf(stepInputs(data, state, optimizer, optimizerKeys));
    const draws: Array<{ layer: DropoutLayer; id: number }> = [];
    observeDropoutDraws((layer, seeds) =>
      draws.push({ layer, id: backend.getInputTensorIds([seeds])[0] }),
    );
    let captured: ReturnType<typeof capture<Scalar[]>>;
    try {
      captured = capture(
        feeds,
        () => eager(data),
        (results) => {
          const dropoutLayers = this.model.layers.filter((l) => l.getClassName() === "Dropout");
          if (draws.length < dropoutLayers.length)
            return "a Dropout layer drew its mask in JavaScript";
          return {
            feeds: draws.map(({ id }, i) => ({
              key: `dropout_seeds${i}`,
              id,
              dtype: DT_INT32,
              shape: [2],
            })),
            // The same variables, holding the step's new values now.
            fetches: [...results, ...state],
          };
        },
      );
    } finally {
      observeDropoutDraws(undefined);
    }
    const { result: results, session } = captured;
    if (typeof session === "string") return { results, compiled: session };
    const layers = draws.map((d) => d.layer);
    return {
      results,
      compiled: new CompiledStep(session, optimizer, results.length, optimizerKeys, layers),
    };
  }

  dispose(): void {
    for (const step of this.steps.values()) if (step instanceof CompiledStep) step.dispose();
    this.steps.clear();
  }
}
