/**
 * Training kernels for the wasm backend: the ones it lacks (Conv2DBackpropFilter) and replacements for
 * the ones too slow to train with (and, for batch norm, a wasm-only gradient). Each module says why its
 * kernels exist; this one only registers them.
 */
import { registerBatchNormKernels } from "./wasm-batchnorm";
import { registerConvGradKernels } from "./wasm-conv-grads";
import { registerDataSharingKernels } from "./wasm-identity";
import { registerMatMulKernels } from "./wasm-matmul";
import { registerPoolGradKernels } from "./wasm-pool-grads";
import { registerReductionKernels } from "./wasm-reduce-kernels";

let registered = false;

/** Register (once) our wasm training kernels. Call after `@tensorflow/tfjs-backend-wasm` is loaded. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerBatchNormKernels();
  registerDataSharingKernels();
  registerConvGradKernels();
  registerMatMulKernels();
  registerPoolGradKernels();
  registerReductionKernels();
}
