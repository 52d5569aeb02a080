/**
 * Conv2DBackpropInput (the input gradient of a convolution) for wasm as a forward convolution, which
 * XNNPACK runs; the stock kernel is a plain scalar loop.
 */
import { Conv2DBackpropInput } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { conv2d, convInfoFor } from "./conv-utils";
import type { ExplicitPad } from "./conv-utils";
import { heapF32, inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

/** The filter rotated by 180° with in/out channels swapped: [KH,KW,Ci,Co] → [KH,KW,Co,Ci]. */
function flippedFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([kh, kw, co, ci], "float32");
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, out);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      const s = (y * kw + x) * ci * co;
      const d = ((kh - 1 - y) * kw + (kw - 1 - x)) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[d + o * ci + i] = src[s + i * co + o];
      }
    }
  }
  return out;
}

/**
 * For stride 1, dx is the "full" correlation of dy with the flipped filter: a forward convolution padded
 * by K−1−p on each side. Strided convolutions would need dy dilated with zeros first; they are rare in
 * training code and the stock kernel computes them correctly, so they are delegated to it.
 */
function conv2DBackpropInput({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { dy, filter } = inputsOf(Conv2DBackpropInput, inputs, "dy", "filter");
  const info = convInfoFor(Conv2DBackpropInput, attrs.inputShape as number[], filter.shape, attrs);
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const pad: ExplicitPad = [
    [0, 0],
    [kh - 1 - top, kh - 1 - bottom],
    [kw - 1 - left, kw - 1 - right],
    [0, 0],
  ];
  const strided = info.strideHeight !== 1 || info.strideWidth !== 1;
  if (strided || pad.some(([a, b]) => a < 0 || b < 0))
    return runStock(Conv2DBackpropInput, backend, inputs, attrs);

  const flipped = flippedFilter(backend, filter);
  const out = conv2d(backend, dy, flipped, pad);
  release(backend, flipped);
  return out;
}

export const conv2DBackpropInputConfig: WasmKernelConfig = {
  kernelName: Conv2DBackpropInput,
  kernelFunc: conv2DBackpropInput,
};
