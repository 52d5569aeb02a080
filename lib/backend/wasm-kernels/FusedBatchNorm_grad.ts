/**
 * The FusedBatchNorm gradient. Gradients are registered per kernel name for all backends, so this one uses
 * our WasmFusedBatchNormGrad kernel on wasm (for per-channel statistics, the layout batch-norm layers use)
 * and defers to the stock gradient everywhere else.
 */
import { engine, FusedBatchNorm, getBackend } from "@tensorflow/tfjs";
import type { NamedAttrMap, Tensor } from "@tensorflow/tfjs";
import { WASM } from "./kernel-utils";
import type { GradientOverride } from "../gradient-override";
import { WASM_BATCH_NORM_GRAD } from "./WasmFusedBatchNormGrad";

export const fusedBatchNormGradOverride: GradientOverride = {
  kernelName: FusedBatchNorm,
  gradFunc: (stock) => (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const channelStats =
      mean.rank === 1 && variance.rank === 1 && mean.shape[0] === x.shape[x.rank - 1];
    const dyTensor = dy as Tensor;
    const float32 = x.dtype === "float32" && dyTensor.dtype === "float32";
    if (getBackend() !== WASM || !channelStats || scale === undefined || !float32) {
      return stock.gradFunc(dy, saved, attrs);
    }
    const grads = engine().runKernel(
      WASM_BATCH_NORM_GRAD,
      { x, mean, variance, scale, dy: dyTensor },
      { varianceEpsilon: attrs.varianceEpsilon } as NamedAttrMap,
    ) as Tensor[];
    const [dx, dMean, dVariance, dScale, dOffset] = grads;
    return {
      x: () => dx,
      mean: () => dMean,
      variance: () => dVariance,
      scale: () => dScale,
      offset: () => dOffset,
    };
  },
};
