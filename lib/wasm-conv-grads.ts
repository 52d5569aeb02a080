/**
 * Convolution gradients for the wasm backend, rewritten as *forward* convolutions so that XNNPACK
 * (which only has forward kernels) runs them. The stock wasm backend has no Conv2DBackpropFilter at all,
 * and its Conv2DBackpropInput is a plain scalar loop, an order of magnitude slower than XNNPACK.
 *
 * Both kernels follow the attribute conventions of tfjs-core's `conv2DBackpropFilter`/`conv2DBackpropInput`
 * ops (NHWC, `pad` as 'same' | 'valid' | number | explicit, no dilations).
 */
import { backend_util, Conv2DBackpropFilter, Conv2DBackpropInput } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, inputsOf, registerWasmKernel, release, requireChannelsLast, runStock, UnsupportedKernelConfigError } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";

type Conv2DInfo = backend_util.Conv2DInfo;
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
type Pad = "same" | "valid" | number | ExplicitPad;

function convInfoFor(kernelName: string, xShape: number[], filterShape: number[], attrs: WasmKernelArgs["attrs"]): Conv2DInfo {
  requireChannelsLast(kernelName, attrs.dataFormat);
  const strides = attrs.strides as number | [number, number];
  const dilations = (attrs.dilations ?? 1) as number | [number, number];
  if (dilations !== 1 && !(Array.isArray(dilations) && dilations.every((d) => d === 1))) {
    throw new UnsupportedKernelConfigError(kernelName, "dilations", dilations, "1");
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
}

function conv2d(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, pad: ExplicitPad, dilations: [number, number] = [1, 1]): TensorInfo {
  return runStock("Conv2D", backend, { x, filter }, { strides: [1, 1], pad, dilations, dataFormat: "NHWC" });
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,oy,ox} x[n, oy·s+kh−pt, ox·s+kw−pl, ci] · dy[n,oy,ox,co]
 * is a forward convolution of x viewed as [ci, H, W, n] (channels ↔ batch swapped) with dy viewed as the
 * filter [OH, OW, n, co], dilated by the stride; its [ci, KH, KW, co] output is dW up to a transpose.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x, dy } = inputsOf(Conv2DBackpropFilter, inputs, "x", "dy");
  const filterShape = attrs.filterShape as number[];
  const info = convInfoFor(Conv2DBackpropFilter, x.shape, filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Pad the far side just enough for KH×KW outputs; where the forward conv ignored trailing input rows
  // (stride > 1, 'valid'), there is one output too many per extra row, which is sliced off below.
  const bottom = Math.max(0, kh - inHeight - top + (outHeight - 1) * sh);
  const right = Math.max(0, kw - inWidth - left + (outWidth - 1) * sw);

  const xT = runStock("Transpose", backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runStock("Transpose", backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const grad = conv2d(backend, xT, dyT, [[0, 0], [top, bottom], [left, right], [0, 0]], [sh, sw]);
  release(backend, xT, dyT);

  let cropped = grad;
  if (grad.shape[1] !== kh || grad.shape[2] !== kw) {
    cropped = runStock("Slice", backend, { x: grad }, { begin: [0, 0, 0, 0], size: [-1, kh, kw, -1] });
    release(backend, grad);
  }
  const out = runStock("Transpose", backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  release(backend, cropped);
  return out;
}

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
  const pad: ExplicitPad = [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]];
  const strided = info.strideHeight !== 1 || info.strideWidth !== 1;
  if (strided || pad.some(([a, b]) => a < 0 || b < 0)) return runStock(Conv2DBackpropInput, backend, inputs, attrs);

  const flipped = flippedFilter(backend, filter);
  const out = conv2d(backend, dy, flipped, pad);
  release(backend, flipped);
  return out;
}

export function registerConvGradKernels(): void {
  registerWasmKernel(Conv2DBackpropFilter, conv2DBackpropFilter);
  registerWasmKernel(Conv2DBackpropInput, conv2DBackpropInput);
}
