/**
 * Training kernels for the wasm backend: the one it lacks (Conv2DBackpropFilter), replacements for the
 * ones too slow to train with, a wasm-only batch-norm gradient kernel, and two gradients. One kernel per
 * file, named after the kernel, as in tfjs-backend-wasm's `kernels/`; each file says why it exists, and
 * lib/backend/README.md gives the measurements. This file only lists and registers them.
 */
import { batchMatMulConfig } from "./wasm-kernels/BatchMatMul";
import { castConfig } from "./wasm-kernels/Cast";
import { conv2DBackpropFilterConfig } from "./wasm-kernels/Conv2DBackpropFilter";
import { conv2DBackpropInputConfig } from "./wasm-kernels/Conv2DBackpropInput";
import { fusedBatchNormConfig } from "./wasm-kernels/FusedBatchNorm";
import { fusedBatchNormGradOverride } from "./wasm-kernels/FusedBatchNorm_grad";
import { identityConfig } from "./wasm-kernels/Identity";
import { registerGradientOverride } from "./gradient-override";
import type { GradientOverride } from "./gradient-override";
import { meanGradOverride } from "./Mean_grad";
import { registerWasmKernel } from "./wasm-kernels/kernel-utils";
import type { WasmKernelConfig } from "./wasm-kernels/kernel-utils";
import { maxPoolGradConfig } from "./wasm-kernels/MaxPoolGrad";
import { meanConfig } from "./wasm-kernels/Mean";
import { sumConfig } from "./wasm-kernels/Sum";
import { tileConfig } from "./wasm-kernels/Tile";
import { wasmFusedBatchNormGradConfig } from "./wasm-kernels/WasmFusedBatchNormGrad";

/** Our wasm kernels; each replaces the stock kernel of its name (WasmFusedBatchNormGrad is new). */
const WASM_KERNELS: readonly WasmKernelConfig[] = [
  batchMatMulConfig,
  castConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  fusedBatchNormConfig,
  identityConfig,
  maxPoolGradConfig,
  meanConfig,
  sumConfig,
  tileConfig,
  wasmFusedBatchNormGradConfig,
];

/** Gradients we replace, for every backend (each defers to the stock one where it does not apply). */
const GRADIENT_OVERRIDES: readonly GradientOverride[] = [
  fusedBatchNormGradOverride,
  meanGradOverride,
];

let registered = false;

/** Register (once) our wasm training kernels. Call after `@tensorflow/tfjs-backend-wasm` is loaded. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const gradient of GRADIENT_OVERRIDES) registerGradientOverride(gradient);
  for (const kernel of WASM_KERNELS) registerWasmKernel(kernel);
}
