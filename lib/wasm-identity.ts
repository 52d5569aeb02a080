/**
 * Identity, and Cast to the same dtype, on wasm without a copy. The stock kernels copy the whole tensor,
 * and training calls them dozens of times per step on full-size activations and gradients (tape
 * bookkeeping, clones, variable reads; the ReLU gradient casts its float32 mask to float32). Tensors are
 * immutable, so the output can share the input's reference-counted data, exactly as the wasm Reshape
 * kernel and the cpu backend's Identity and Cast do.
 */
import { Cast, Identity } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { inputsOf, registerWasmKernel, runStock } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";

function shared(backend: WasmKernelArgs["backend"], x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Identity, inputs, "x");
  return x.dtype === "string" ? runStock(Identity, backend, inputs, attrs) : shared(backend, x);
}

function cast({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Cast, inputs, "x");
  return x.dtype === attrs.dtype && x.dtype !== "string" ? shared(backend, x) : runStock(Cast, backend, inputs, attrs);
}

export function registerDataSharingKernels(): void {
  registerWasmKernel(Identity, identity);
  registerWasmKernel(Cast, cast);
}
