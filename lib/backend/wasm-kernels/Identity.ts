/**
 * Identity without a copy. The stock kernel copies the whole tensor, and training calls Identity dozens of
 * times per step on full-size activations and gradients (tape bookkeeping, clones, variable reads).
 */
import { Identity } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { inputsOf, runStock, sharedData } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

function identity({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Identity, inputs, "x");
  return x.dtype === "string" ? runStock(Identity, backend, inputs, attrs) : sharedData(backend, x);
}

export const identityConfig: WasmKernelConfig = { kernelName: Identity, kernelFunc: identity };
