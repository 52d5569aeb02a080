/**
 * A convolution with bias on native TensorFlow as one oneDNN op (`_MklNativeConv2DWithBias`), as Keras'
 * graph gets it. tfjs-node runs Conv2D and then adds the bias with a broadcasting Add: one more full
 * pass over every convolution's output, in every training step and prediction. The activation, if any,
 * stays tfjs-node's. Without oneDNN, without a bias, or for other data formats and paddings, the stock
 * kernel runs.
 */
import { FusedConv2D } from "@tensorflow/tfjs";
import type { FusedConv2DAttrs, TensorInfo } from "@tensorflow/tfjs";
import type { NativeKernelConfig, NodeBackend } from "./kernel-utils";
import { hasOneDnn, oneDnnKernel, paddingAttr, spatialAttr, typeAttr } from "./kernel-utils";

export const fusedConv2DConfig: NativeKernelConfig = {
  kernelName: FusedConv2D,
  kernelFunc: (stock) => (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo>;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } =
      args.attrs as unknown as FusedConv2DAttrs;
    const outChannels = filter.shape[3];
    if (
      bias == null ||
      bias.shape.length !== 1 ||
      bias.shape[0] !== outChannels ||
      x.dtype !== "float32" ||
      dataFormat !== "NHWC" ||
      (pad !== "valid" && pad !== "same") ||
      dimRoundingMode != null ||
      !hasOneDnn()
    ) {
      return stock(args);
    }
    const backend = args.backend as unknown as NodeBackend;
    const convolved = backend.executeSingleOutput(
      "_MklNativeConv2DWithBias",
      [
        typeAttr(backend, "T", "float32"),
        spatialAttr(backend, "strides", strides),
        paddingAttr(backend, pad),
        spatialAttr(backend, "dilations", dilations),
        oneDnnKernel(backend),
      ],
      [x, filter, bias],
    );
    const activated = backend.applyActivation(
      convolved,
      activation,
      preluActivationWeights,
      leakyreluAlpha,
    );
    if (activated !== convolved) convolved.dispose();
    return activated;
  },
};
