/**
 * FusedBatchNorm (batch norm's forward pass) on wasm. The stock kernel is a scalar C loop; per channel it
 * is just y = x·f + g with f = s/√(var+ε) and g = offset − mean·f, i.e. two broadcast XNNPACK passes.
 */
import { FusedBatchNorm } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { heapF32, inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

/** Per-channel statistics over the last axis: the layout batch-norm layers use. */
function perChannel(x: TensorInfo, ...stats: Array<TensorInfo | undefined>): boolean {
  const channels = x.shape[x.shape.length - 1];
  return stats.every(
    (t) =>
      t === undefined || (t.shape.length === 1 && t.shape[0] === channels && t.dtype === "float32"),
  );
}

function batchNorm({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x, mean, variance } = inputsOf(FusedBatchNorm, inputs, "x", "mean", "variance");
  const { scale, offset } = inputs;
  if (x.dtype !== "float32" || !perChannel(x, mean, variance, scale, offset))
    return runStock(FusedBatchNorm, backend, inputs, attrs);
  const epsilon = attrs.varianceEpsilon as number;
  const channels = mean.shape[0];
  const factorTensor = backend.makeOutput([channels], "float32");
  const shiftTensor = backend.makeOutput([channels], "float32");
  const [factor, shift, means, variances] = [factorTensor, shiftTensor, mean, variance].map((t) =>
    heapF32(backend, t),
  );
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

export const fusedBatchNormConfig: WasmKernelConfig = {
  kernelName: FusedBatchNorm,
  kernelFunc: batchNorm,
};
