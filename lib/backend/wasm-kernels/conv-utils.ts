/**
 * What the convolution-gradient kernels share: reading tfjs-core's convolution attributes, and running the
 * stock (XNNPACK) forward Conv2D on heap tensors. Both gradients are rewritten as forward convolutions,
 * because XNNPACK only has forward kernels.
 */
import { backend_util } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { requireChannelsLast, runStock, UnsupportedKernelConfigError } from "./kernel-utils";
import type { WasmKernelArgs } from "./kernel-utils";

export type Conv2DInfo = backend_util.Conv2DInfo;
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
type Pad = "same" | "valid" | number | ExplicitPad;

/**
 * The geometry of a convolution, from the attributes of tfjs-core's `conv2DBackpropFilter` /
 * `conv2DBackpropInput` ops (NHWC, `pad` as 'same' | 'valid' | number | explicit, no dilations).
 */
export function convInfoFor(
  kernelName: string,
  xShape: number[],
  filterShape: number[],
  attrs: WasmKernelArgs["attrs"],
): Conv2DInfo {
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

/** The stock forward convolution, stride 1, with explicit padding and optional dilation. */
export function conv2d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  pad: ExplicitPad,
  dilations: [number, number] = [1, 1],
): TensorInfo {
  return runStock(
    "Conv2D",
    backend,
    { x, filter },
    { strides: [1, 1], pad, dilations, dataFormat: "NHWC" },
  );
}
