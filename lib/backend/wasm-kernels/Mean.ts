/**
 * Mean over the leading axes (every axis but the channels: batch-norm moments) as one pass on every
 * thread, for the same reason as Sum.ts: the stock kernel transposes first and reduces on one thread.
 */
import { Mean } from "@tensorflow/tfjs";
import type { WasmKernelConfig } from "./kernel-utils";
import { leadingAxesReduction } from "./leading-axes";

export const meanConfig: WasmKernelConfig = {
  kernelName: Mean,
  kernelFunc: (args) => leadingAxesReduction(Mean, args, true),
};
