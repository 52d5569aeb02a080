/**
 * Cast to the tensor's own dtype without a copy: the ReLU gradient casts its float32 mask to float32 on
 * every step, and the stock kernel copies the whole tensor to do so. Other casts go to the stock kernel.
 */
import { Cast } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { inputsOf, runStock, sharedData } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

function cast({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Cast, inputs, "x");
  return x.dtype === attrs.dtype && x.dtype !== "string"
    ? sharedData(backend, x)
    : runStock(Cast, backend, inputs, attrs);
}

export const castConfig: WasmKernelConfig = { kernelName: Cast, kernelFunc: cast };
