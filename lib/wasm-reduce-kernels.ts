/**
 * Faster wasm kernels for the reductions and broadcasts that batch-norm and bias gradients are made of.
 *
 * Training reduces NHWC activations over every axis but the channels (bias gradients, batch-norm moments
 * and their gradients). The stock wasm Sum/Mean first transpose the reduced axes to the end, which costs
 * more than the sum itself, then sum on one thread. The stock Tile copies element by element with index arithmetic; here whole
 * contiguous blocks are copied (batch-norm gradients tile [C] to [N,H,W,C]: 30× faster).
 * The Mean gradient is replaced too (for every backend): tfjs-core's builds a full-size array of ones.
 */
import { broadcastTo, div, getGradient, Mean, registerGradient, reshape, Sum, Tile, util } from "@tensorflow/tfjs";
import type { Tensor, TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, heapView, inputsOf, registerWasmKernel, release, runStock } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";

/** Number of leading axes reduced, or 0 when `axes` are not exactly the leading axes 0..k−1. */
function leadingAxesCount(axes: number[]): number {
  const sorted = [...axes].sort((a, b) => a - b);
  return sorted.every((axis, i) => axis === i) ? sorted.length : 0;
}

/**
 * Means over the leading axes of x viewed as [rows, cols], as an average pooling of a [1, 1, rows, cols]
 * image with a 1×rows window: XNNPACK's multi-pass average pooling reads memory once, vectorised and on
 * every thread, ~20× faster than the stock Sum/Mean (or a JavaScript loop). Returns a [1, 1, 1, cols] tensor.
 */
export function leadingMeans(backend: BackendWasm, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const image = runStock("Reshape", backend, { x }, { shape: [1, 1, rows, cols] });
  const pooled = runStock("AvgPool", backend, { x: image }, { filterSize: [1, rows], strides: [1, 1], pad: "valid" });
  release(backend, image);
  return pooled;
}

/** Sum or Mean over leading axes via `leadingMeans` (sums are means scaled by the row count). */
function leadingAxesReduction(kernelName: string, { inputs, backend, attrs }: WasmKernelArgs, meanNotSum: boolean): TensorInfo {
  const { x } = inputsOf(kernelName, inputs, "x");
  const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const k = leadingAxesCount(axes);
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  if (x.dtype !== "float32" || k === 0 || rows === 0) return runStock(kernelName, backend, inputs, attrs);

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

/**
 * True when the tiled result is x's data repeated end to end: every tiled axis has only unit axes before
 * it, as when a per-channel [1,1,1,C] gradient is broadcast to [N,H,W,C].
 */
function repeatsWhole(shape: number[], reps: number[]): boolean {
  return reps.every((times, axis) => times === 1 || shape.slice(0, axis).every((size) => size === 1));
}

/**
 * Tile by growing the result one axis at a time, innermost first: along each axis the already-built
 * contiguous block is copied `reps` times, so the work is a handful of large memcpy-like `set` calls.
 */
function tile({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x } = inputsOf(Tile, inputs, "x");
  const reps = attrs.reps as number[];
  if (x.dtype === "string") return runStock(Tile, backend, inputs, attrs);
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  if (dst.length === 0) return out;

  if (repeatsWhole(x.shape, reps)) {
    // Doubling copies: log2(reps) memcpy-like passes, no intermediate arrays.
    dst.set(src);
    for (let filled = src.length; filled < dst.length; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
    return out;
  }
  let current: typeof src = src.slice();
  const shape = [...x.shape];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const times = reps[axis];
    if (times === 1) continue;
    const block = util.sizeFromShape(shape.slice(axis));
    const outer = current.length / block;
    const next = new (current.constructor as new (n: number) => typeof src)(current.length * times);
    for (let o = 0; o < outer; o++) {
      const from = current.subarray(o * block, (o + 1) * block);
      const base = o * block * times;
      if (block === 1) next.fill(from[0], base, base + times);
      else for (let r = 0; r < times; r++) next.set(from, base + r * block);
    }
    current = next;
    shape[axis] *= times;
  }
  dst.set(current);
  return out;
}

/**
 * The Mean gradient as dy/n broadcast to x's shape. tfjs-core's version multiplies dy by a full-size
 * tensor of ones that it fills in JavaScript on every call (13 ms per MiniVGGNet training step, for the
 * batch-norm moments); dy·1/n and dy/n are the same floats, so this changes only the cost, on every backend.
 */
let meanGradientRegistered = false;

export function registerMeanGradient(): void {
  if (meanGradientRegistered) return;
  meanGradientRegistered = true;
  const stock = getGradient(Mean);
  registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
      const reduceSize = util.sizeFromShape(axes.map((axis) => x.shape[axis]));
      return { x: () => broadcastTo(div(reshape(dy as Tensor, keptShape), reduceSize), x.shape) };
    },
  });
}

export function registerReductionKernels(): void {
  registerMeanGradient();
  registerWasmKernel(Sum, (args) => leadingAxesReduction(Sum, args, false));
  registerWasmKernel(Mean, (args) => leadingAxesReduction(Mean, args, true));
  registerWasmKernel(Tile, tile);
}
