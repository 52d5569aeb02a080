/**
 * WasmFusedBatchNormGrad: our own kernel (wasm only) computing all five batch-norm gradients at once.
 * tfjs-core's FusedBatchNorm gradient is composed of ~10 full-size elementwise ops, a Tile and four Sums
 * over the [N,H,W,C] activation, and on wasm each is a separate pass over memory. The same five gradients
 * need only two per-channel sums, Σdy and Σdy·(x−mean), and dx = dy·r·s. FusedBatchNorm_grad.ts calls it.
 */
import { util } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { heapF32, inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";
import { leadingMeans } from "./leading-axes";

/** Our kernel's name: it exists only on wasm, so only the wasm branch of the gradient calls it. */
export const WASM_BATCH_NORM_GRAD = "WasmFusedBatchNormGrad";

/**
 * Outputs in order: dx, dmean, dvariance, dscale, doffset (the last four per channel, like mean).
 * Per channel c, with r = 1/√(var+ε) and s = scale: dx = dy·r·s, doffset = Σdy, dscale = r·Σdy(x−mean),
 * dmean = −r·s·Σdy, dvariance = −½·r³·s·Σdy(x−mean) — tfjs-core's formulas, with the sums shared.
 * The full-size work is three XNNPACK passes (x−mean, dy·(x−mean), dy·r·s) and two pooled sums.
 */
function batchNormGrad({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo[] {
  const names = ["x", "mean", "variance", "scale", "dy"] as const;
  const { x, mean, variance, scale, dy } = inputsOf(WASM_BATCH_NORM_GRAD, inputs, ...names);
  const epsilon = attrs.varianceEpsilon as number;
  const channels = mean.shape[0];
  const rows = util.sizeFromShape(x.shape) / channels;

  const centred = runStock("Sub", backend, { a: x, b: mean });
  const dyCentred = runStock("Multiply", backend, { a: dy, b: centred });
  const meanDy = leadingMeans(backend, dy, rows, channels);
  const meanDyCentred = leadingMeans(backend, dyCentred, rows, channels);
  release(backend, centred, dyCentred);

  const factorTensor = backend.makeOutput([channels], "float32");
  const outs = [mean, mean, mean, mean].map((t) => backend.makeOutput(t.shape, "float32"));
  const [variances, scales, factor] = [variance, scale, factorTensor].map((t) =>
    heapF32(backend, t),
  );
  const [sumDy, sumDyCentred] = [meanDy, meanDyCentred].map((t) => heapF32(backend, t));
  const [dMean, dVariance, dScale, dOffset] = outs.map((t) => heapF32(backend, t));
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt(variances[c] + epsilon);
    const sDy = sumDy[c] * rows;
    const sDyCentred = sumDyCentred[c] * rows;
    factor[c] = r * scales[c];
    dMean[c] = -factor[c] * sDy;
    dVariance[c] = -0.5 * r * r * factor[c] * sDyCentred;
    dScale[c] = r * sDyCentred;
    dOffset[c] = sDy;
  }
  release(backend, meanDy, meanDyCentred);
  const dx = runStock("Multiply", backend, { a: dy, b: factorTensor });
  release(backend, factorTensor);
  return [dx, ...outs];
}

export const wasmFusedBatchNormGradConfig: WasmKernelConfig = {
  kernelName: WASM_BATCH_NORM_GRAD,
  kernelFunc: batchNormGrad,
};
