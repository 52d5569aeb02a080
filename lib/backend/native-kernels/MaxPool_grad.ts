/**
 * The max-pool gradient on native TensorFlow with oneDNN's kernels, as a Keras graph gets them: oneDNN's
 * max pool records where each maximum came from (its "workspace"), and its gradient scatters dy there.
 * TensorFlow runs eager MaxPool and MaxPoolGrad with its portable kernels instead, and that MaxPoolGrad
 * searches every window again — it is the costliest op of a MiniVGGNet step after the convolutions.
 * tfjs-core keeps only x and y for the gradient, so the pool is run once more to get the workspace.
 * oneDNN breaks ties between equal maxima as TensorFlow's kernel does (the first one), which matters
 * after ReLU: a window of zeros is common. Elsewhere (no oneDNN, other backends, dtypes or paddings)
 * the stock gradient runs.
 */
import { getBackend, MaxPool } from "@tensorflow/tfjs";
import type { MaxPoolAttrs, Tensor } from "@tensorflow/tfjs";
import type { GradientOverride } from "../gradient-override";
import { hasOneDnn, NATIVE, nativeBackend, oneDnnMaxPoolAttrs } from "./kernel-utils";

export const maxPoolGradOverride: GradientOverride = {
  kernelName: MaxPool,
  gradFunc: (stock) => (dy, saved, attrs) => {
    const [x] = saved;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolAttrs;
    const dyTensor = dy as Tensor;
    if (
      getBackend() !== NATIVE ||
      x.dtype !== "float32" ||
      dyTensor.dtype !== "float32" ||
      x.rank !== 4 ||
      (pad !== "valid" && pad !== "same") ||
      dimRoundingMode !== undefined ||
      !hasOneDnn()
    ) {
      return stock.gradFunc(dy, saved, attrs);
    }
    return {
      x: () => {
        const backend = nativeBackend();
        const poolAttrs = oneDnnMaxPoolAttrs(backend, filterSize, strides, pad);
        const [y, workspace] = backend.executeMultipleOutputs(
          "_MklNativeMaxPool",
          poolAttrs,
          [x],
          2,
        );
        try {
          return backend.executeSingleOutput("_MklNativeMaxPoolGrad", poolAttrs, [
            x,
            y,
            dyTensor,
            workspace,
          ]);
        } finally {
          y.dispose();
          workspace.dispose();
        }
      },
    };
  },
};
