/**
 * The FusedBatchNorm gradient on native TensorFlow. tfjs-core's is a dozen full-size ops, a Tile and four
 * sums over the [N,H,W,C] activation, each a separate eager op. Its five gradients need only two
 * per-channel sums, Σdy and Σdy·(x−mean), and dx = dy·r·scale (r = 1/√(var+ε)): tfjs-core's formulas
 * with the sums shared. Other backends, and statistics that are not per channel, get the stock gradient.
 */
import { add, FusedBatchNorm, getBackend, mul, neg, rsqrt, sub, sum } from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import type { GradientOverride } from "../gradient-override";
import { NATIVE } from "./kernel-utils";

export const fusedBatchNormGradOverride: GradientOverride = {
  kernelName: FusedBatchNorm,
  gradFunc: (stock) => (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const dyTensor = dy as Tensor;
    const perChannel =
      mean.rank === 1 && variance.rank === 1 && mean.shape[0] === x.shape[x.rank - 1];
    const float32 = x.dtype === "float32" && dyTensor.dtype === "float32";
    if (getBackend() !== NATIVE || !perChannel || scale === undefined || !float32) {
      return stock.gradFunc(dy, saved, attrs);
    }
    const axes = x.shape.slice(0, -1).map((_, axis) => axis);
    const r = rsqrt(add(variance, attrs.varianceEpsilon as number));
    const factor = mul(r, scale);
    const sumDy = sum(dyTensor, axes);
    const sumDyCentred = sum(mul(dyTensor, sub(x, mean)), axes);
    return {
      x: () => mul(dyTensor, factor),
      mean: () => neg(mul(factor, sumDy)),
      variance: () => mul(mul(mul(r, r), factor), mul(sumDyCentred, -0.5)),
      scale: () => mul(r, sumDyCentred),
      offset: () => sumDy,
    };
  },
};
