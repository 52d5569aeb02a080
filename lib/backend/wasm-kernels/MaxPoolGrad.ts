/**
 * MaxPoolGrad for the wasm backend as one pass over the pooling windows in JavaScript: each window's
 * gradient goes to the position of its maximum. The stock wasm kernel is several times slower for the
 * 2×2 windows this project uses. Ties go to the first maximum in row-major window order, as on the cpu
 * backend, so both backends agree exactly.
 */
import { backend_util, MaxPoolGrad } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { heapF32, inputsOf, UnsupportedKernelConfigError } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

function maxPoolGrad({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { dy, input: x } = inputsOf(MaxPoolGrad, inputs, "dy", "input");
  if (x.dtype !== "float32")
    throw new UnsupportedKernelConfigError(MaxPoolGrad, "dtype", x.dtype, "'float32'");
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: channels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
  } = info;
  const { filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;

  const out = backend.makeOutput(x.shape, "float32");
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  const tiling =
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0;
  if (tiling && outHeight * 2 <= inHeight && outWidth * 2 <= inWidth) {
    disjoint2x2Windows(xs, dys, dx, batchSize, inHeight, inWidth, channels, outHeight, outWidth);
    return out;
  }
  // Channels innermost: every window position is a contiguous run of `channels` values, read in order.
  const bestValue = new Float32Array(channels);
  const bestIndex = new Int32Array(channels);
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    const xBase = b * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
        if (y0 >= y1 || x0 >= x1) continue;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const base = xBase + y * rowStride + xx * channels;
            if (y === y0 && xx === x0) {
              for (let c = 0; c < channels; c++) {
                bestValue[c] = xs[base + c];
                bestIndex[c] = base + c;
              }
            } else {
              for (let c = 0; c < channels; c++) {
                if (xs[base + c] > bestValue[c]) {
                  bestValue[c] = xs[base + c];
                  bestIndex[c] = base + c;
                }
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) dx[bestIndex[c]] += dys[dyBase + c];
      }
    }
  }
  return out;
}

/**
 * The common case (2×2 windows, stride 2, no padding) without the general loop's bookkeeping: windows do
 * not overlap, so each gradient is written once; the comparison order is the general loop's (row-major).
 */
function disjoint2x2Windows(
  xs: Float32Array,
  dys: Float32Array,
  dx: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): void {
  const rowStride = inWidth * channels;
  let d = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const row = (b * inHeight + 2 * oy) * rowStride;
      for (let ox = 0; ox < outWidth; ox++, d += channels) {
        const topLeft = row + 2 * ox * channels;
        const topRight = topLeft + channels;
        const bottomLeft = topLeft + rowStride;
        const bottomRight = bottomLeft + channels;
        for (let c = 0; c < channels; c++) {
          let best = topLeft + c;
          let value = xs[best];
          if (xs[topRight + c] > value) value = xs[(best = topRight + c)];
          if (xs[bottomLeft + c] > value) value = xs[(best = bottomLeft + c)];
          if (xs[bottomRight + c] > value) best = bottomRight + c;
          dx[best] = dys[d + c];
        }
      }
    }
  }
}

export const maxPoolGradConfig: WasmKernelConfig = {
  kernelName: MaxPoolGrad,
  kernelFunc: maxPoolGrad,
};
