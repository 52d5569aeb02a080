/**
 * Batch norm on wasm: a faster forward kernel, and the backward pass as one kernel.
 *
 * The stock FusedBatchNorm is a scalar C loop; per channel it is just y = x·f + g with f = s/√(var+ε) and
 * g = offset − mean·f, i.e. two broadcast XNNPACK passes.
 *
 * tfjs-core's FusedBatchNorm gradient is composed of ~10 full-size elementwise ops, a Tile and four Sums
 * over the [N,H,W,C] activation; on wasm each is a separate pass over memory (~12 ms per 32×28×28×32
 * layer). The same five gradients need only two per-channel sums, Σdy and Σdy·(x−mean), and dx = dy·r·s.
 *
 * Gradients are registered per kernel name for all backends, so the FusedBatchNorm gradient is replaced by
 * one that uses our kernel on wasm (for per-channel statistics, the layout batch-norm layers use) and
 * defers to the stock gradient everywhere else.
 */
import { engine, FusedBatchNorm, getBackend, getGradient, registerGradient, registerKernel, util } from "@tensorflow/tfjs";
import type { NamedAttrMap, Tensor, TensorInfo } from "@tensorflow/tfjs";
import { heapF32, inputsOf, registerWasmKernel, release, runStock, WASM } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";
import { leadingMeans } from "./wasm-reduce-kernels";

/** Our kernel's name: it exists only on wasm, so only the wasm branch of the gradient calls it. */
export const WASM_BATCH_NORM_GRAD = "WasmFusedBatchNormGrad";

/**
 * Outputs in order: dx, dmean, dvariance, dscale, doffset (the last four per channel, like mean).
 * Per channel c, with r = 1/√(var+ε) and s = scale: dx = dy·r·s, doffset = Σdy, dscale = r·Σdy(x−mean),
 * dmean = −r·s·Σdy, dvariance = −½·r³·s·Σdy(x−mean) — tfjs-core's formulas, with the sums shared.
 * The full-size work is three XNNPACK passes (x−mean, dy·(x−mean), dy·r·s) and two pooled sums.
 */
function batchNormGrad({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo[] {
  const { x, mean, variance, scale, dy } = inputsOf(WASM_BATCH_NORM_GRAD, inputs, "x", "mean", "variance", "scale", "dy");
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
  const [variances, scales, factor] = [variance, scale, factorTensor].map((t) => heapF32(backend, t));
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

/** Per-channel statistics over the last axis: the layout batch-norm layers use. */
function perChannel(x: TensorInfo, ...stats: Array<TensorInfo | undefined>): boolean {
  const channels = x.shape[x.shape.length - 1];
  return stats.every((t) => t === undefined || (t.shape.length === 1 && t.shape[0] === channels && t.dtype === "float32"));
}

function batchNorm({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x, mean, variance } = inputsOf(FusedBatchNorm, inputs, "x", "mean", "variance");
  const { scale, offset } = inputs;
  if (x.dtype !== "float32" || !perChannel(x, mean, variance, scale, offset)) return runStock(FusedBatchNorm, backend, inputs, attrs);
  const epsilon = attrs.varianceEpsilon as number;
  const channels = mean.shape[0];
  const factorTensor = backend.makeOutput([channels], "float32");
  const shiftTensor = backend.makeOutput([channels], "float32");
  const [factor, shift, means, variances] = [factorTensor, shiftTensor, mean, variance].map((t) => heapF32(backend, t));
  const scales = scale && heapF32(backend, scale);
  const offsets = offset && heapF32(backend, offset);
  for (let c = 0; c < channels; c++) {
    factor[c] = (scales ? scales[c] : 1) / Math.sqrt(variances[c] + epsilon);
    shift[c] = (offsets ? offsets[c] : 0) - means[c] * factor[c];
  }
  const scaled = runStock("Multiply", backend, { a: x, b: factorTensor });
  const out = runStock("Add", backend, { a: scaled, b: shiftTensor });
  release(backend, scaled, factorTensor, shiftTensor);
  return out;
}

export function registerBatchNormKernels(): void {
  registerWasmKernel(FusedBatchNorm, batchNorm);
  registerKernel({
    kernelName: WASM_BATCH_NORM_GRAD,
    backendName: WASM,
    kernelFunc: (args) => batchNormGrad(args as unknown as WasmKernelArgs),
  });
  const stock = getGradient(FusedBatchNorm);
  registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const channelStats = mean.rank === 1 && variance.rank === 1 && mean.shape[0] === x.shape[x.rank - 1];
      const dyTensor = dy as Tensor;
      if (getBackend() !== WASM || !channelStats || scale === undefined || x.dtype !== "float32" || dyTensor.dtype !== "float32") {
        return stock.gradFunc(dy, saved, attrs);
      }
      const grads = engine().runKernel(
        WASM_BATCH_NORM_GRAD,
        { x, mean, variance, scale, dy: dyTensor },
        { varianceEpsilon: attrs.varianceEpsilon } as NamedAttrMap,
      ) as Tensor[];
      const [dx, dMean, dVariance, dScale, dOffset] = grads;
      return { x: () => dx, mean: () => dMean, variance: () => dVariance, scale: () => dScale, offset: () => dOffset };
    },
  });
}
