/**
 * Training kernels for native TensorFlow (`@tensorflow/tfjs-node`, backend "tensorflow"). tfjs-node runs
 * every TensorFlow.js kernel as one or more eager TensorFlow ops, and a few of its kernels and of
 * tfjs-core's gradients are composites that cost more than their arithmetic; some ops have oneDNN kernels
 * that a Keras graph gets and eager TensorFlow does not pick on its own; and tfjs draws dropout masks in
 * JavaScript. One replacement per file, named after the kernel (or the layer's training path); each file
 * says why, and tests/backend/native.test.ts checks each against the `cpu` backend. This file only lists
 * and registers them.
 */
import { registerGradientOverride } from "./gradient-override";
import type { GradientOverride } from "./gradient-override";
import { meanGradOverride } from "./Mean_grad";
import { useNativeDropoutInTraining } from "./native-kernels/Dropout_training";
import { fusedBatchNormGradOverride } from "./native-kernels/FusedBatchNorm_grad";
import { fusedConv2DConfig } from "./native-kernels/FusedConv2D";
import { useFusedBatchNormInTraining } from "./native-kernels/FusedBatchNorm_training";
import { maxPoolGradOverride } from "./native-kernels/MaxPool_grad";
import { reluGradOverride } from "./native-kernels/Relu_grad";
import { registerNativeKernel } from "./native-kernels/kernel-utils";
import type { NativeKernelConfig } from "./native-kernels/kernel-utils";
import { stepConfig } from "./native-kernels/Step";

// What graph mode (../graph-mode/) uses of the native kernels: their op runner and dropout's seeds.
export { dropoutSeeds, observeDropoutDraws } from "./native-kernels/Dropout_training";
export type { DropoutLayer } from "./native-kernels/Dropout_training";
export { NATIVE, nativeBackend } from "./native-kernels/kernel-utils";
export type { TfeAttr } from "./native-kernels/kernel-utils";

const NATIVE_KERNELS: readonly NativeKernelConfig[] = [fusedConv2DConfig, stepConfig];

/** Gradients we replace (each defers to the stock one on other backends or where it does not apply). */
const NATIVE_GRADIENT_OVERRIDES: readonly GradientOverride[] = [
  fusedBatchNormGradOverride,
  maxPoolGradOverride,
  meanGradOverride,
  reluGradOverride,
];

let registered = false;

/** Register (once) the native training kernels. Call after `@tensorflow/tfjs-node` is loaded. */
export function registerNativeTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const gradient of NATIVE_GRADIENT_OVERRIDES) registerGradientOverride(gradient);
  for (const kernel of NATIVE_KERNELS) registerNativeKernel(kernel);
  useFusedBatchNormInTraining();
  useNativeDropoutInTraining();
}
