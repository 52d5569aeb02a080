/**
 * Reductions over the leading axes of a tensor — what training does to NHWC activations to get per-channel
 * figures (bias gradients, batch-norm moments and their gradients) — as one XNNPACK average pooling.
 * Shared by the Sum and Mean kernels and by the batch-norm gradient.
 */
import { util } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs } from "./kernel-utils";

/** Number of leading axes reduced, or 0 when `axes` are not exactly the leading axes 0..k−1. */
function leadingAxesCount(axes: number[]): number {
  const sorted = [...axes].sort((a, b) => a - b);
  return sorted.every((axis, i) => axis === i) ? sorted.length : 0;
}

/**
 * Means over the leading axes of x viewed as [rows, cols], as an average pooling of a [1, 1, rows, cols]
 * image with a 1×rows window: XNNPACK's multi-pass average pooling reads memory once, vectorised and on
 * every thread. Returns a [1, 1, 1, cols] tensor.
 */
export function leadingMeans(
  backend: BackendWasm,
  x: TensorInfo,
  rows: number,
  cols: number,
): TensorInfo {
  const image = runStock("Reshape", backend, { x }, { shape: [1, 1, rows, cols] });
  const pooled = runStock(
    "AvgPool",
    backend,
    { x: image },
    { filterSize: [1, rows], strides: [1, 1], pad: "valid" },
  );
  release(backend, image);
  return pooled;
}

/**
 * Sum or Mean over leading axes via `leadingMeans` (sums are means scaled by the row count); anything else
 * goes to the stock kernel.
 */
export function leadingAxesReduction(
  kernelName: string,
  { inputs, backend, attrs }: WasmKernelArgs,
  meanNotSum: boolean,
): TensorInfo {
  const { x } = inputsOf(kernelName, inputs, "x");
  const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const k = leadingAxesCount(axes);
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  if (x.dtype !== "float32" || k === 0 || rows === 0)
    return runStock(kernelName, backend, inputs, attrs);

  const kept = x.shape.slice(k);
  const cols = util.sizeFromShape(kept);
  const pooled = leadingMeans(backend, x, rows, cols);
  if (!meanNotSum) {
    const sums = heapF32(backend, pooled);
    for (let c = 0; c < cols; c++) sums[c] *= rows;
  }
  const outShape = attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept;
  const out = runStock("Reshape", backend, { x: pooled }, { shape: outShape });
  release(backend, pooled);
  return out;
}
