/**
 * A TensorFlow GraphDef, written with the protobuf classes tfjs-node ships (`dist/proto/api_pb.js`, the
 * ones its SavedModel loader reads signatures with), and saved as a SavedModel that holds only a graph: no
 * variables folder, one `serve` meta-graph, one `serving_default` signature naming its inputs and outputs.
 * That is all tfjs-node's SavedModel session path needs to run the graph in one call.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- tfjs-node ships these classes without types */
import type { TfeAttr } from "../native-kernels";

/** The parts of google-protobuf's generated classes used here. */
interface Message {
  serializeBinary(): Uint8Array;
}
interface ProtoMap<V> {
  set(key: string, value: V): void;
}
interface ApiPb {
  AttrValue: (new () => Message & {
    setS(v: Uint8Array): void;
    setI(v: number): void;
    setF(v: number): void;
    setB(v: boolean): void;
    setType(v: number): void;
    setShape(v: Message): void;
    setTensor(v: Message): void;
    setList(v: Message): void;
  }) & {
    ListValue: new () => Message & {
      setSList(v: Uint8Array[]): void;
      setIList(v: number[]): void;
      setFList(v: number[]): void;
      setBList(v: boolean[]): void;
      setTypeList(v: number[]): void;
    };
  };
  TensorShape: (new () => Message & { addDim(d: Message): void }) & {
    Dim: new () => Message & { setSize(v: number): void };
  };
  Tensor: new () => Message & {
    setDtype(v: number): void;
    setTensorShape(v: Message): void;
    setTensorContent(v: Uint8Array): void;
  };
  NodeDef: new () => Message & {
    setName(v: string): void;
    setOp(v: string): void;
    setInputList(v: string[]): void;
    getAttrMap(): ProtoMap<Message>;
  };
  GraphDef: new () => Message & { addNode(n: Message): void; setVersions(v: Message): void };
  VersionDef: new () => Message & { setProducer(v: number): void };
  TensorInfo: new () => Message & {
    setName(v: string): void;
    setDtype(v: number): void;
    setTensorShape(v: Message): void;
  };
  SignatureDef: new () => Message & {
    getInputsMap(): ProtoMap<Message>;
    getOutputsMap(): ProtoMap<Message>;
    setMethodName(v: string): void;
  };
  MetaGraphDef: (new () => Message & {
    setMetaInfoDef(v: Message): void;
    setGraphDef(v: Message): void;
    getSignatureDefMap(): ProtoMap<Message>;
  }) & { MetaInfoDef: new () => Message & { setTagsList(v: string[]): void } };
  SavedModel: new () => Message & {
    setSavedModelSchemaVersion(v: number): void;
    addMetaGraphs(v: Message): void;
  };
}

const pb = require("@tensorflow/tfjs-node/dist/proto/api_pb.js") as ApiPb;

/** TensorFlow's DataType numbers (the C API's TF_DataType uses the same): the ones a step's tensors have. */
export const DT_FLOAT = 1;
export const DT_INT32 = 3;
export const DT_BOOL = 10;

/** The attribute types of the eager API's TFE attributes, as tfjs-node's binding numbers them. */
const ATTR_STRING = 0;
const ATTR_INT = 1;
const ATTR_FLOAT = 2;
const ATTR_BOOL = 3;
const ATTR_TYPE = 4;
const ATTR_SHAPE = 5;

/** A graph input or output: the signature's key and the graph tensor ("node:index") it names. */
export interface SignatureTensor {
  key: string;
  tensor: string;
  dtype: number;
  shape: number[];
}

function shapeProto(dims: number[]) {
  const shape = new pb.TensorShape();
  for (const size of dims) {
    const dim = new pb.TensorShape.Dim();
    dim.setSize(size);
    shape.addDim(dim);
  }
  return shape;
}

function typeAttr(dtype: number) {
  const value = new pb.AttrValue();
  value.setType(dtype);
  return value;
}

/** An eager op's attribute as a graph node's: the same name, type and value. */
function attrValue(attr: TfeAttr) {
  const value = new pb.AttrValue();
  if (attr.type === ATTR_SHAPE) {
    value.setShape(shapeProto(attr.value as number[]));
    return value;
  }
  if (Array.isArray(attr.value)) {
    const items = new pb.AttrValue.ListValue();
    const values = attr.value as unknown[];
    const setter = {
      [ATTR_STRING]: () => items.setSList(values.map((s) => Buffer.from(String(s)))),
      [ATTR_INT]: () => items.setIList(values as number[]),
      [ATTR_FLOAT]: () => items.setFList(values as number[]),
      [ATTR_BOOL]: () => items.setBList(values as boolean[]),
      [ATTR_TYPE]: () => items.setTypeList(values as number[]),
    }[attr.type];
    if (setter === undefined)
      throw new Error(`attribute ${attr.name}: a list of type ${attr.type}`);
    setter();
    value.setList(items);
    return value;
  }
  switch (attr.type) {
    case ATTR_STRING:
      value.setS(Buffer.from(String(attr.value)));
      break;
    case ATTR_INT:
      value.setI(attr.value as number);
      break;
    case ATTR_FLOAT:
      value.setF(attr.value as number);
      break;
    case ATTR_BOOL:
      value.setB(Boolean(attr.value));
      break;
    case ATTR_TYPE:
      value.setType(attr.value as number);
      break;
    default:
      throw new Error(`attribute ${attr.name}: type ${attr.type}`);
  }
  return value;
}

/** The graph's nodes in the order they are added (each node's inputs are added before it). */
export class GraphBuilder {
  private readonly graph = new pb.GraphDef();

  private add(name: string, op: string, inputs: string[], attrs: Record<string, Message>): string {
    const node = new pb.NodeDef();
    node.setName(name);
    node.setOp(op);
    node.setInputList(inputs);
    const map = node.getAttrMap();
    for (const [key, value] of Object.entries(attrs)) map.set(key, value);
    this.graph.addNode(node);
    return name;
  }

  placeholder(name: string, dtype: number, shape: number[]): string {
    const shapeValue = new pb.AttrValue();
    shapeValue.setShape(shapeProto(shape));
    return this.add(name, "Placeholder", [], { dtype: typeAttr(dtype), shape: shapeValue });
  }

  /** A constant holding `values` (a typed array of the dtype's element type). */
  constant(name: string, dtype: number, shape: number[], values: ArrayBufferView): string {
    const tensor = new pb.Tensor();
    tensor.setDtype(dtype);
    tensor.setTensorShape(shapeProto(shape));
    tensor.setTensorContent(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    const value = new pb.AttrValue();
    value.setTensor(tensor);
    return this.add(name, "Const", [], { dtype: typeAttr(dtype), value });
  }

  /** `shape` filled with one value: a constant that costs a few bytes in the graph however large it is. */
  fill(name: string, dtype: number, shape: number[], value: ArrayBufferView): string {
    const dims = this.constant(`${name}/shape`, DT_INT32, [shape.length], Int32Array.from(shape));
    const scalar = this.constant(`${name}/value`, dtype, [], value);
    return this.add(name, "Fill", [dims, scalar], {
      T: typeAttr(dtype),
      index_type: typeAttr(DT_INT32),
    });
  }

  /** A node running `op` as the eager call did: its attributes as given, plus `types` it left implicit. */
  op(name: string, op: string, inputs: string[], attrs: TfeAttr[], types: Record<string, number>) {
    const values: Record<string, Message> = {};
    for (const [key, dtype] of Object.entries(types)) values[key] = typeAttr(dtype);
    for (const attr of attrs) values[attr.name] = attrValue(attr);
    return this.add(name, op, inputs, values);
  }

  /** The SavedModel file (`saved_model.pb`) that runs this graph from `inputs` to `outputs`. */
  savedModel(inputs: SignatureTensor[], outputs: SignatureTensor[]): Uint8Array {
    const versions = new pb.VersionDef();
    // Any producer version TensorFlow still reads; the graph uses no op semantics that changed since.
    versions.setProducer(1994);
    this.graph.setVersions(versions);
    const signature = new pb.SignatureDef();
    const info = (t: SignatureTensor) => {
      const tensorInfo = new pb.TensorInfo();
      tensorInfo.setName(t.tensor);
      tensorInfo.setDtype(t.dtype);
      tensorInfo.setTensorShape(shapeProto(t.shape));
      return tensorInfo;
    };
    for (const t of inputs) signature.getInputsMap().set(t.key, info(t));
    for (const t of outputs) signature.getOutputsMap().set(t.key, info(t));
    signature.setMethodName("tensorflow/serving/predict");
    const metaInfo = new pb.MetaGraphDef.MetaInfoDef();
    metaInfo.setTagsList(["serve"]);
    const metaGraph = new pb.MetaGraphDef();
    metaGraph.setMetaInfoDef(metaInfo);
    metaGraph.setGraphDef(this.graph);
    metaGraph.getSignatureDefMap().set("serving_default", signature);
    const savedModel = new pb.SavedModel();
    savedModel.setSavedModelSchemaVersion(1);
    savedModel.addMetaGraphs(metaGraph);
    return savedModel.serializeBinary();
  }
}
