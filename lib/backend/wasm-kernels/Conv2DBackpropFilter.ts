/**
 * Conv2DBackpropFilter (the weight gradient of a convolution) for wasm, which has none at all: without it
 * the stock wasm backend cannot train a convolutional network. Computed as a forward convolution, which
 * XNNPACK runs.
 */
import { Conv2DBackpropFilter } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { conv2d, convInfoFor } from "./conv-utils";
import type { ExplicitPad } from "./conv-utils";
import { inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

/**
 * dW[kh,kw,ci,co] = Σ_{n,oy,ox} x[n, oy·s+kh−pt, ox·s+kw−pl, ci] · dy[n,oy,ox,co]
 * is a forward convolution of x viewed as [ci, H, W, n] (channels ↔ batch swapped) with dy viewed as the
 * filter [OH, OW, n, co], dilated by the stride; its [ci, KH, KW, co] output is dW up to a transpose.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { x, dy } = inputsOf(Conv2DBackpropFilter, inputs, "x", "dy");
  const filterShape = attrs.filterShape as number[];
  const info = convInfoFor(Conv2DBackpropFilter, x.shape, filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Pad the far side just enough for KH×KW outputs; where the forward conv ignored trailing input rows
  // (stride > 1, 'valid'), there is one output too many per extra row, which is sliced off below.
  const bottom = Math.max(0, kh - inHeight - top + (outHeight - 1) * sh);
  const right = Math.max(0, kw - inWidth - left + (outWidth - 1) * sw);

  const xT = runStock("Transpose", backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runStock("Transpose", backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const pad: ExplicitPad = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const grad = conv2d(backend, xT, dyT, pad, [sh, sw]);
  release(backend, xT, dyT);

  let cropped = grad;
  if (grad.shape[1] !== kh || grad.shape[2] !== kw) {
    cropped = runStock(
      "Slice",
      backend,
      { x: grad },
      { begin: [0, 0, 0, 0], size: [-1, kh, kw, -1] },
    );
    release(backend, grad);
  }
  const out = runStock("Transpose", backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  release(backend, cropped);
  return out;
}

export const conv2DBackpropFilterConfig: WasmKernelConfig = {
  kernelName: Conv2DBackpropFilter,
  kernelFunc: conv2DBackpropFilter,
};
