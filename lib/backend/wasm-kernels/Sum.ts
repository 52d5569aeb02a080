/**
 * Sum over the leading axes (every axis but the channels) as one pass on every thread. The stock wasm Sum
 * first transposes the reduced axes to the end, which costs more than the sum itself, then sums on one
 * thread.
 */
import { Sum } from "@tensorflow/tfjs";
import type { WasmKernelConfig } from "./kernel-utils";
import { leadingAxesReduction } from "./leading-axes";

export const sumConfig: WasmKernelConfig = {
  kernelName: Sum,
  kernelFunc: (args) => leadingAxesReduction(Sum, args, false),
};
