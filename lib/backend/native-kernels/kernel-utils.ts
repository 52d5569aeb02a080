/**
 * What the native kernels share: the backend name, the parts of tfjs-node's backend they call (it has no
 * type exports for them), and registration that replaces the stock kernel of the same name.
 */
import {
  backend,
  getBackend,
  getKernel,
  registerKernel,
  unregisterKernel,
  zeros,
} from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, Tensor, TensorInfo } from "@tensorflow/tfjs";

export const NATIVE = "tensorflow";

export interface TfeAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface NodeBackend {
  binding: {
    TF_ATTR_BOOL: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_INT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_TYPE: number;
    TF_FLOAT: number;
    TF_INT32: number;
    TF_BOOL: number;
  };
  /** Runs one TensorFlow op eagerly; the result is a new tensor the caller owns. */
  executeSingleOutput(name: string, attrs: TfeAttr[], inputs: TensorInfo[]): Tensor;
  /** The same for an op with several outputs; the caller owns (and must dispose) all of them. */
  executeMultipleOutputs(
    name: string,
    attrs: TfeAttr[],
    inputs: TensorInfo[],
    count: number,
  ): Tensor[];
  /** tfjs-node's activation step of its fused kernels ("linear", "relu", …). */
  applyActivation(
    input: Tensor,
    activation: string | undefined,
    preluActivationWeights?: TensorInfo,
    leakyreluAlpha?: number,
  ): Tensor;
}

/** The active backend as tfjs-node's; for code outside a kernel (a gradient), once NATIVE is checked. */
export function nativeBackend(): NodeBackend {
  return backend() as unknown as NodeBackend;
}

/** A type attribute (`T`, `SrcT`, …) of a TensorFlow op. */
export function typeAttr(
  backend: NodeBackend,
  name: string,
  dtype: "float32" | "int32" | "bool",
): TfeAttr {
  const { TF_ATTR_TYPE, TF_FLOAT, TF_INT32, TF_BOOL } = backend.binding;
  const value = { float32: TF_FLOAT, int32: TF_INT32, bool: TF_BOOL }[dtype];
  return { name, type: TF_ATTR_TYPE, value };
}

/** A replacement kernel: made from the stock one, to defer to it where the replacement does not apply. */
export interface NativeKernelConfig {
  kernelName: string;
  kernelFunc: (stock: KernelFunc) => KernelFunc;
}

export function registerNativeKernel({ kernelName, kernelFunc }: NativeKernelConfig): void {
  const stock = getKernel(kernelName, NATIVE) as KernelConfig | undefined;
  if (stock === undefined) return;
  unregisterKernel(kernelName, NATIVE);
  registerKernel({ ...stock, kernelFunc: kernelFunc(stock.kernelFunc) });
}

/**
 * The attribute that selects TensorFlow's oneDNN kernel of an `_MklNative…` op: TensorFlow registers those
 * kernels under this label, and its own oneDNN rewrite of a graph sets it on the ops it swaps in.
 */
export function oneDnnKernel(backend: NodeBackend): TfeAttr {
  return { name: "_kernel", type: backend.binding.TF_ATTR_STRING, value: "MklNameChangeOp" };
}

let oneDnnAvailable: boolean | undefined;

/**
 * Whether this TensorFlow runs oneDNN's kernels: builds for x86-64 do, others (and TF_ENABLE_ONEDNN_OPTS=0,
 * TensorFlow's own switch) get the stock ops. Probed once, on a tiny max pool.
 */
export function hasOneDnn(): boolean {
  if (getBackend() !== NATIVE) return false;
  if (oneDnnAvailable !== undefined) return oneDnnAvailable;
  oneDnnAvailable = false;
  if (process.env.TF_ENABLE_ONEDNN_OPTS === "0") return false;
  const backend = nativeBackend();
  const x = zeros([1, 2, 2, 1]);
  try {
    const outputs = backend.executeMultipleOutputs(
      "_MklNativeMaxPool",
      oneDnnMaxPoolAttrs(backend, 2, 2, "valid"),
      [x],
      2,
    );
    for (const t of outputs) t.dispose();
    oneDnnAvailable = true;
  } catch {
    // Not built with oneDNN: the stock kernels stay.
  } finally {
    x.dispose();
  }
  return oneDnnAvailable;
}

/** A per-dimension NHWC list attribute (`ksize`, `strides`, `dilations`) from tfjs' number or [h, w]. */
export function spatialAttr(
  backend: NodeBackend,
  name: string,
  value: number | [number, number],
): TfeAttr {
  const [height, width] = typeof value === "number" ? [value, value] : value;
  return { name, type: backend.binding.TF_ATTR_INT, value: [1, height, width, 1] };
}

/** TensorFlow's `padding` attribute, for tfjs' "valid" and "same" (other paddings have no such name). */
export function paddingAttr(backend: NodeBackend, pad: "valid" | "same"): TfeAttr {
  return { name: "padding", type: backend.binding.TF_ATTR_STRING, value: pad.toUpperCase() };
}

/** The attributes of oneDNN's max pool and of its gradient, recording where each maximum came from. */
export function oneDnnMaxPoolAttrs(
  backend: NodeBackend,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: "valid" | "same",
): TfeAttr[] {
  return [
    typeAttr(backend, "T", "float32"),
    spatialAttr(backend, "ksize", filterSize),
    spatialAttr(backend, "strides", strides),
    paddingAttr(backend, pad),
    { name: "workspace_enabled", type: backend.binding.TF_ATTR_BOOL, value: true },
    oneDnnKernel(backend),
  ];
}

/** What a replaced layer call gets: the layer, its one input and its keyword arguments. */
type LayerCall<Layer> = (
  this: Layer,
  inputs: Tensor | Tensor[],
  kwargs: Record<string, unknown>,
) => Tensor | Tensor[];

/**
 * Replace `call` on the prototype of `layer`'s class (every layer of that class) where `applies` says so,
 * for a layer called on one tensor; elsewhere the stock call runs.
 */
export function replaceLayerCall<Layer>(
  layer: object,
  applies: (layer: Layer, input: Tensor, kwargs: Record<string, unknown>) => boolean,
  replacement: (layer: Layer, input: Tensor) => Tensor,
): void {
  const prototype = Object.getPrototypeOf(layer) as { call: LayerCall<Layer> };
  const stock = prototype.call;
  prototype.call = function (inputs, kwargs) {
    if (Array.isArray(inputs) && inputs.length !== 1) return stock.call(this, inputs, kwargs);
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    return applies(this, input, kwargs)
      ? replacement(this, input)
      : stock.call(this, inputs, kwargs);
  };
}
