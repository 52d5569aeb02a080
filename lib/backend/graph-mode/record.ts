/**
 * One eager computation on tfjs-node, recorded as the ops it sends to TensorFlow: tfjs-node turns every
 * kernel into calls on its binding (`executeOp` with the op's name, attributes and input tensors, and
 * `createTensor` for values made in JavaScript), so wrapping the binding while the computation runs sees
 * all of it, in order, with the same information a graph node needs.
 */
import type { Tensor } from "@tensorflow/tfjs";
import type { TfeAttr } from "../native-kernels";

interface TensorMeta {
  id: number;
  shape: number[];
  dtype: number;
}

export interface RecordedOp {
  name: string;
  attrs: TfeAttr[];
  /** Binding ids of the inputs. */
  inputs: number[];
  outputs: TensorMeta[];
}

/** A tensor made from JavaScript values while the computation ran (a shape, a scalar, a seed). */
export interface CreatedTensor extends TensorMeta {
  values: ArrayBufferView;
}

/** tfjs-node's binding: the calls it exports that this folder uses. */
interface Binding {
  createTensor(shape: number[], dtype: number, values: ArrayBufferView): number;
  executeOp(name: string, attrs: TfeAttr[], inputs: number[], count: number): TensorMeta[];
  tensorDataSync(id: number): ArrayBufferView;
  loadSavedModel(path: string, tags: string): number;
  deleteSavedModel(id: number): void;
}

/** tfjs-node's backend, as far as recording and running a graph goes. */
export interface GraphBackend {
  binding: Binding;
  /** The binding ids of tensors (making those whose values are still in JavaScript). */
  getInputTensorIds(tensors: Tensor[]): number[];
  runSavedModel(
    id: number,
    inputs: Tensor[],
    inputInfos: Array<{ name: string; tfDtype: string }>,
    outputNames: string[],
  ): Tensor[];
}

export interface Recording {
  ops: RecordedOp[];
  created: Map<number, CreatedTensor>;
  /** Why the computation cannot become a graph, seen while it ran (a value read back into JavaScript). */
  problem?: string;
}

/** Runs `compute` as usual and returns, beside its result, the ops it ran. */
export function record<T>(
  backend: GraphBackend,
  compute: () => T,
): { result: T; recording: Recording } {
  const recording: Recording = { ops: [], created: new Map() };
  const original = backend.binding;
  const producedBy = new Map<number, string>();
  const createTensor: Binding["createTensor"] = (shape, dtype, values) => {
    const id = original.createTensor(shape, dtype, values);
    const copy = (values as unknown as { slice(): ArrayBufferView }).slice();
    recording.created.set(id, { id, shape: [...shape], dtype, values: copy });
    return id;
  };
  const executeOp: Binding["executeOp"] = (name, attrs, inputs, count) => {
    const outputs = original.executeOp(name, attrs, inputs, count);
    recording.ops.push({
      name,
      attrs: attrs.map((a) => ({ ...a, value: Array.isArray(a.value) ? [...a.value] : a.value })),
      inputs: [...inputs],
      outputs: outputs.map((o) => ({ id: o.id, shape: [...o.shape], dtype: o.dtype })),
    });
    for (const o of outputs) producedBy.set(o.id, name);
    return outputs;
  };
  const tensorDataSync: Binding["tensorDataSync"] = (id) => {
    // The graph would have to stop here for JavaScript to look at the value and decide what comes next.
    recording.problem ??= `the step reads the output of ${producedBy.get(id) ?? "a tensor"} back into JavaScript`;
    return original.tensorDataSync(id);
  };
  // The binding's own properties are read-only, so the recorder shadows them with properties of its own.
  const recorder = Object.create(original, {
    createTensor: { value: createTensor },
    executeOp: { value: executeOp },
    tensorDataSync: { value: tensorDataSync },
  }) as Binding;
  backend.binding = recorder;
  try {
    return { result: compute(), recording };
  } finally {
    backend.binding = original;
  }
}
