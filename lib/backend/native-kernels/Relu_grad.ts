/**
 * The ReLU gradient on native TensorFlow as TensorFlow's own ReluGrad op: dy where x > 0, else 0. tfjs-core
 * writes it as dy · cast(step(x)), three kernels and (with tfjs-node's Step) six full-size eager ops per
 * ReLU layer and training step. A NaN in x still gives NaN, as tfjs-core's gradient does (ReluGrad alone
 * would give 0 there). Other backends and dtypes get the stock gradient.
 */
import { getBackend, Relu } from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import type { GradientOverride } from "../gradient-override";
import { NATIVE, nativeBackend, typeAttr } from "./kernel-utils";

export const reluGradOverride: GradientOverride = {
  kernelName: Relu,
  gradFunc: (stock) => (dy, saved, attrs) => {
    const [x] = saved;
    const dyTensor = dy as Tensor;
    if (getBackend() !== NATIVE || x.dtype !== "float32" || dyTensor.dtype !== "float32") {
      return stock.gradFunc(dy, saved, attrs);
    }
    return {
      x: () => {
        const backend = nativeBackend();
        const float = [typeAttr(backend, "T", "float32")];
        const gradient = backend.executeSingleOutput("ReluGrad", float, [dyTensor, x]);
        const nan = backend.executeSingleOutput("IsNan", float, [x]);
        const out = backend.executeSingleOutput("Select", float, [nan, x, gradient]);
        gradient.dispose();
        nan.dispose();
        return out;
      },
    };
  },
};
