/**
 * Tile by copying whole contiguous blocks instead of element by element with index arithmetic, as the
 * stock kernel does. Batch-norm gradients tile per-channel values [C] to the activation's [N,H,W,C].
 */
import { Tile, util } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { heapView, inputsOf, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

/**
 * True when the tiled result is x's data repeated end to end: every tiled axis has only unit axes before
 * it, as when a per-channel [1,1,1,C] gradient is broadcast to [N,H,W,C].
 */
function repeatsWhole(shape: number[], reps: number[]): boolean {
  return reps.every(
    (times, axis) => times === 1 || shape.slice(0, axis).every((size) => size === 1),
  );
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
    for (let filled = src.length; filled < dst.length; filled *= 2)
      dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
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

export const tileConfig: WasmKernelConfig = { kernelName: Tile, kernelFunc: tile };
