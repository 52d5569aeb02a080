/**
 * Batch normalization in training on native TensorFlow, as Keras runs it: one FusedBatchNorm op in
 * training mode computes the batch's moments and the normalized output, and FusedBatchNormGrad is its
 * whole gradient. tfjs-layers instead computes the moments with separate ops (tf.moments) and
 * differentiates every one of them, about twenty full-size passes per layer and step.
 *
 * This replaces `BatchNormalization.call` of tfjs-layers for the case it covers (training, native
 * backend, float32, normalizing the last axis with both scale and offset) and defers to the stock call
 * otherwise. What the layer computes stays the same: the output, the gradients, and the moving mean and
 * variance updated with the batch's mean and (biased) variance and the layer's momentum.
 */
import { customGrad, getBackend, keep, layers, mul, sub, tensor1d, tidy } from "@tensorflow/tfjs";
import type { Tensor, Tensor4D } from "@tensorflow/tfjs";
import { NATIVE, nativeBackend, replaceLayerCall, typeAttr } from "./kernel-utils";
import type { NodeBackend, TfeAttr } from "./kernel-utils";

/** The parts of tfjs-layers' BatchNormalization this relies on (it exports no type for them). */
interface LayerVariable {
  read(): Tensor;
  write(value: Tensor): void;
}
interface BatchNormalizationLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}
type Kwargs = { training?: boolean } & Record<string, unknown>;

function attributes(backend: NodeBackend, epsilon: number): TfeAttr[] {
  const { TF_ATTR_FLOAT, TF_ATTR_STRING, TF_ATTR_BOOL } = backend.binding;
  return [
    typeAttr(backend, "T", "float32"),
    { name: "epsilon", type: TF_ATTR_FLOAT, value: epsilon },
    { name: "data_format", type: TF_ATTR_STRING, value: "NHWC" },
    { name: "is_training", type: TF_ATTR_BOOL, value: true },
  ];
}

/**
 * y = γ·(x − mean)/√(variance + ε) + β with the moments of the batch, over all axes but the last, and
 * those moments (the variance biased, as tf.moments computes it). x is [N, H, W, C].
 */
function batchNormInTraining(
  x: Tensor4D,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): { y: Tensor4D; mean: Tensor; variance: Tensor } {
  const backend = nativeBackend();
  const attrs = attributes(backend, epsilon);
  const count = x.size / x.shape[3];
  let moments: Tensor[] = [];
  const normalize = customGrad((...args) => {
    const [xs, scale, offset, save] = args as [Tensor, Tensor, Tensor, (saved: Tensor[]) => void];
    const none = tensor1d([], "float32");
    const [y, mean, unbiased, reserve1, reserve2] = backend.executeMultipleOutputs(
      "FusedBatchNorm",
      attrs,
      [xs, scale, offset, none, none],
      5,
    );
    save([xs, scale, reserve1, reserve2]);
    // The op returns the unbiased variance (for Keras' moving average); tfjs-layers uses the biased one.
    moments = [keep(mean), keep(mul(unbiased, count > 1 ? (count - 1) / count : 1))];
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [dx, dScale, dOffset, ...unused] = backend.executeMultipleOutputs(
          "FusedBatchNormGrad",
          attrs,
          [dy as Tensor, ...saved],
          5,
        );
        for (const t of unused) t.dispose();
        return [dx, dScale, dOffset];
      },
    };
  });
  const y = normalize(x, gamma, beta) as Tensor4D;
  const [mean, variance] = moments;
  return { y, mean, variance };
}

function fusedCall(this: BatchNormalizationLayer, input: Tensor): Tensor {
  return tidy(() => {
    const channels = input.shape[input.rank - 1];
    // The op wants NHWC; a 4-D input already is, other ranks are laid out as one (two more eager ops).
    const x = (input.rank === 4 ? input : input.reshape([-1, 1, 1, channels])) as Tensor4D;
    const { y, mean, variance } = batchNormInTraining(
      x,
      this.gamma.read(),
      this.beta.read(),
      this.epsilon,
    );
    try {
      for (const [moving, batch] of [
        [this.movingMean, mean],
        [this.movingVariance, variance],
      ] as const) {
        const old = moving.read();
        moving.write(sub(old, mul(sub(old, batch), 1 - this.momentum)));
      }
    } finally {
      mean.dispose();
      variance.dispose();
    }
    return input.rank === 4 ? y : y.reshape(input.shape);
  });
}

function applies(layer: BatchNormalizationLayer, input: Tensor, kwargs: Kwargs): boolean {
  const axis = layer.axis < 0 ? layer.axis + input.rank : layer.axis;
  return (
    kwargs.training === true &&
    getBackend() === NATIVE &&
    input.dtype === "float32" &&
    input.rank >= 2 &&
    axis === input.rank - 1 &&
    layer.center &&
    layer.scale
  );
}

let replaced = false;

/** Make every BatchNormalization layer train with the fused op on native TensorFlow (once). */
export function useFusedBatchNormInTraining(): void {
  if (replaced) return;
  replaced = true;
  replaceLayerCall(layers.batchNormalization({}), applies, (layer, input) =>
    fusedCall.call(layer, input),
  );
}
