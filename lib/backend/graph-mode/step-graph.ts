/**
 * A recorded computation as a graph: each recorded op becomes a node with the same attributes, the tensors
 * it read from before the computation become placeholders (fed anew on every run), values made in
 * JavaScript during it become constants, and the tensors asked for become the graph's outputs.
 */
import { DT_BOOL, DT_FLOAT, DT_INT32, GraphBuilder } from "./graph-def";
import type { SignatureTensor } from "./graph-def";
import type { CreatedTensor, RecordedOp, Recording } from "./record";

/** A computation that cannot run as a graph, and why. */
export class NotAGraph extends Error {}

/** A tensor that existed before the computation and is fed to the graph on every run. */
export interface Feed {
  key: string;
  /** Its binding id while the computation was recorded. */
  id: number;
  dtype: number;
  shape: number[];
}

export interface StepGraph {
  /** The SavedModel file. */
  bytes: Uint8Array;
  inputs: SignatureTensor[];
  outputs: SignatureTensor[];
}

/**
 * Type attributes a graph node needs and tfjs-node's eager call leaves out (eager TensorFlow reads them
 * off the inputs): for each op, the attribute and the input it is the type of.
 */
const IMPLICIT_TYPES: Record<string, Record<string, number>> = {
  ExpandDims: { T: 0 },
  Fill: { T: 1 },
  Squeeze: { T: 0 },
  Tile: { T: 0 },
};

/** The attributes Conv2D shares with oneDNN's `_MklNativeConv2DWithBias`. */
const CONV2D_ATTRS = new Set([
  "T",
  "strides",
  "padding",
  "dilations",
  "data_format",
  "explicit_paddings",
]);

const GRAPH_DTYPES = new Set([DT_FLOAT, DT_INT32, DT_BOOL]);

/** Holds one value throughout, and enough of them that a constant would bloat the graph. */
function isUniform(t: CreatedTensor): boolean {
  const values = t.values as unknown as ArrayLike<number>;
  if (values.length <= 16) return false;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

function firstValue(t: CreatedTensor): ArrayBufferView {
  const values = t.values as unknown as { subarray(start: number, end: number): ArrayBufferView };
  return values.subarray(0, 1);
}

/**
 * The ops of a recording, changed so that each convolution's output feeds only its ReLU, which lets
 * Grappler fuse convolution, bias and ReLU into one oneDNN op in training too: the ReLU gradient reads the
 * ReLU's output instead of its input (the same mask: relu(x) > 0 exactly where x > 0), and the two ops
 * that carry a NaN input through that gradient (Relu_grad.ts) are left out — in a graph, a NaN
 * activation's gradient is 0, as in Keras, where eagerly it stays NaN.
 */
function fuseConvolutionReLU(ops: RecordedOp[], fetches: number[]): RecordedOp[] {
  const producer = new Map<number, RecordedOp>();
  for (const op of ops) for (const output of op.outputs) producer.set(output.id, op);
  const reluOf = new Map<number, number>(); // a convolution's output -> its ReLU's output
  for (const op of ops) {
    if (op.name === "Relu" && producer.get(op.inputs[0])?.name === "_MklNativeConv2DWithBias")
      reluOf.set(op.inputs[0], op.outputs[0].id);
  }
  const alias = new Map<number, number>();
  const dropped = new Set<RecordedOp>();
  for (const op of ops) {
    if (op.name === "IsNan" && reluOf.has(op.inputs[0])) dropped.add(op);
    if (op.name === "Select" && reluOf.has(op.inputs[1])) {
      alias.set(op.outputs[0].id, op.inputs[2]);
      dropped.add(op);
    }
  }
  const fetched = new Set(fetches);
  if ([...dropped].some((op) => op.outputs.some((o) => fetched.has(o.id)))) return ops;
  const resolve = (id: number) => alias.get(id) ?? id;
  return ops
    .filter((op) => !dropped.has(op))
    .map((op) => {
      const inputs = op.inputs.map(resolve);
      if (op.name === "ReluGrad" && reluOf.has(inputs[1]))
        inputs[1] = reluOf.get(inputs[1]) as number;
      return { ...op, inputs };
    });
}

/** The graph of `recording`, from `feeds` to `fetches` (binding ids, in the order the outputs take). */
export function stepGraph(recording: Recording, feeds: Feed[], fetches: number[]): StepGraph {
  if (recording.problem) throw new NotAGraph(recording.problem);
  const ops = fuseConvolutionReLU(recording.ops, fetches);
  const graph = new GraphBuilder();
  const tensorName = new Map<number, string>();
  const dtypeOf = new Map<number, number>();
  const inputs: SignatureTensor[] = [];
  for (const feed of feeds) {
    // Every feed is an input, in order, even one tensor fed twice (fit(x, x)): the runs pass them all.
    graph.placeholder(feed.key, feed.dtype, feed.shape);
    if (!tensorName.has(feed.id)) tensorName.set(feed.id, `${feed.key}:0`);
    dtypeOf.set(feed.id, feed.dtype);
    inputs.push({ key: feed.key, tensor: `${feed.key}:0`, dtype: feed.dtype, shape: feed.shape });
  }
  const shapeOf = new Map<number, number[]>(feeds.map((f) => [f.id, f.shape]));
  const nameOf = (id: number, reader: string): string => {
    const known = tensorName.get(id);
    if (known !== undefined) return known;
    const created = recording.created.get(id);
    if (created === undefined) {
      throw new NotAGraph(
        `${reader} reads a tensor made before the step that is neither the batch, a weight of the ` +
          "model nor the optimizer's",
      );
    }
    if (!GRAPH_DTYPES.has(created.dtype))
      throw new NotAGraph(`${reader} reads a tensor of TensorFlow type ${created.dtype}`);
    const name = `const${id}`;
    if (isUniform(created)) graph.fill(name, created.dtype, created.shape, firstValue(created));
    else graph.constant(name, created.dtype, created.shape, created.values);
    tensorName.set(id, `${name}:0`);
    dtypeOf.set(id, created.dtype);
    shapeOf.set(id, created.shape);
    return `${name}:0`;
  };
  ops.forEach((op, index) => {
    const name = `op${index}_${op.name}`;
    const inputNames = op.inputs.map((id) => nameOf(id, op.name));
    const types: Record<string, number> = {};
    for (const [attr, input] of Object.entries(IMPLICIT_TYPES[op.name] ?? {})) {
      if (!op.attrs.some((a) => a.name === attr))
        types[attr] = dtypeOf.get(op.inputs[input]) ?? DT_FLOAT;
    }
    if (op.name === "_MklNativeConv2DWithBias") {
      // Eager TensorFlow needs oneDNN's conv-with-bias op named; in a graph the plain Conv2D and BiasAdd
      // are what Grappler's remapper fuses, with a ReLU after them, into one oneDNN convolution.
      const kept = op.attrs.filter((a) => CONV2D_ATTRS.has(a.name));
      const conv = graph.op(`${name}/conv`, "Conv2D", inputNames.slice(0, 2), kept, {});
      graph.op(name, "BiasAdd", [conv, inputNames[2]], [], {
        T: dtypeOf.get(op.inputs[0]) ?? DT_FLOAT,
      });
    } else graph.op(name, op.name, inputNames, op.attrs, types);
    op.outputs.forEach((output, i) => {
      tensorName.set(output.id, `${name}:${i}`);
      dtypeOf.set(output.id, output.dtype);
      shapeOf.set(output.id, output.shape);
    });
  });
  const outputs = fetches.map((id, i): SignatureTensor => {
    const tensor = tensorName.get(id);
    if (tensor === undefined) throw new NotAGraph("a result of the step was not made by the step");
    return {
      key: `out${i}`,
      tensor,
      dtype: dtypeOf.get(id) ?? DT_FLOAT,
      shape: shapeOf.get(id) ?? [],
    };
  });
  return { bytes: graph.savedModel(inputs, outputs), inputs, outputs };
}
