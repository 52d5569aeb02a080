/**
 * What the native kernels share: the backend name, the parts of tfjs-node's backend they call (it has no
 * type exports for them), and registration that replaces the stock kernel of the same name.
 */
import { backend, getKernel, registerKernel, unregisterKernel } from "@tensorflow/tfjs";
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
    TF_ATTR_STRING: number;
    TF_ATTR_TYPE: number;
    TF_FLOAT: number;
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
}

/** The active backend as tfjs-node's; for code outside a kernel (a gradient), once NATIVE is checked. */
export function nativeBackend(): NodeBackend {
  return backend() as unknown as NodeBackend;
}

/** A type attribute (`T`, `SrcT`, …) of a TensorFlow op. */
export function typeAttr(backend: NodeBackend, name: string, dtype: "float32" | "bool"): TfeAttr {
  const { TF_ATTR_TYPE, TF_FLOAT, TF_BOOL } = backend.binding;
  return { name, type: TF_ATTR_TYPE, value: dtype === "float32" ? TF_FLOAT : TF_BOOL };
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
