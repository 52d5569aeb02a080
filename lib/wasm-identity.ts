/**
 * Identity on wasm without a copy. The stock kernel copies the whole tensor, and training calls Identity
 * dozens of times per step on full-size activations and gradients (tape bookkeeping, clones, variable
 * reads). Tensors are immutable, so the output can share the input's reference-counted data, exactly as
 * the wasm Reshape kernel and the cpu backend's Identity do.
 */
import { Identity } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { inputsOf, registerWasmKernel, runStock } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";

function identity({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Identity, inputs, "x");
  if (x.dtype === "string") return runStock(Identity, backend, inputs, attrs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function registerIdentity(): void {
  registerWasmKernel(Identity, identity);
}
