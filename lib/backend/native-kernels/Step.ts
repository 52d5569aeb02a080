/**
 * Step: x > 0 ? 1 : alpha, with NaN staying NaN. It is the ReLU gradient of every fused conv and dense
 * layer. tfjs-node composes it from a full-size tensor of ones built in JavaScript, a second filled
 * tensor and four more ops; here it is Greater and Cast, plus IsNan and Select to keep NaN as tfjs-core
 * does. Other alphas and dtypes go to the stock kernel.
 */
import { scalar, Step } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { typeAttr } from "./kernel-utils";
import type { NativeKernelConfig, NodeBackend } from "./kernel-utils";

export const stepConfig: NativeKernelConfig = {
  kernelName: Step,
  kernelFunc: (stock) => (args) => {
    const x = args.inputs.x as TensorInfo;
    const alpha = (args.attrs?.alpha as number | undefined) ?? 0;
    if (x.dtype !== "float32" || alpha !== 0) return stock(args);
    const backend = args.backend as unknown as NodeBackend;
    const float = typeAttr(backend, "T", "float32");
    const cast = [
      typeAttr(backend, "SrcT", "bool"),
      typeAttr(backend, "DstT", "float32"),
      { name: "Truncate", type: backend.binding.TF_ATTR_BOOL, value: false },
    ];
    const zero = scalar(0);
    const positive = backend.executeSingleOutput("Greater", [float], [x, zero]);
    const mask = backend.executeSingleOutput("Cast", cast, [positive]);
    const nan = backend.executeSingleOutput("IsNan", [float], [x]);
    const out = backend.executeSingleOutput("Select", [float], [nan, x, mask]);
    for (const temp of [zero, positive, mask, nan]) temp.dispose();
    return out;
  },
};
