/**
 * Training kernels for native TensorFlow (`@tensorflow/tfjs-node`, backend "tensorflow").
 *
 * tfjs-node runs every tfjs kernel as one or more eager TensorFlow ops, and a few of its kernels are
 * composites that cost far more than the arithmetic they do. Replaced here, each checked against the
 * `cpu` backend in the tests:
 * - Step (the ReLU gradient of every fused conv and dense layer): tfjs-node builds a full-size tensor of
 *   ones in JavaScript, a second filled one, and four more ops. Here: Greater and Cast, plus IsNan and
 *   Select so that NaN stays NaN as in tfjs-core.
 * - The FusedBatchNorm gradient: tfjs-core's is a dozen full-size ops, a Tile and four sums over the
 *   [N,H,W,C] activation, each a separate eager op. The five gradients need only two per-channel sums,
 *   Σdy and Σdy·(x−mean), and dx = dy·r·scale (r = 1/√(var+ε)): the same formulas with the sums shared.
 * - The Mean gradient (shared with the wasm backend): dy/n broadcast, instead of dy times a full-size
 *   tensor of ones made in JavaScript.
 */
import { FusedBatchNorm, getBackend, getGradient, getKernel, registerGradient, registerKernel, Step, unregisterKernel } from "@tensorflow/tfjs";
import { add, mul, neg, rsqrt, scalar, sub, sum } from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from "@tensorflow/tfjs";
import { registerMeanGradient } from "./wasm-reduce-kernels";

export const NATIVE = "tensorflow";

/** The parts of tfjs-node's backend these kernels use (it has no type exports for them). */
interface NodeBackend {
  binding: { TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_FLOAT: number; TF_BOOL: number };
  executeSingleOutput(name: string, attrs: Array<{ name: string; type: number; value: unknown }>, inputs: TensorInfo[]): Tensor;
}

function typeAttr(backend: NodeBackend, name: string, dtype: "float32" | "bool") {
  return { name, type: backend.binding.TF_ATTR_TYPE, value: dtype === "float32" ? backend.binding.TF_FLOAT : backend.binding.TF_BOOL };
}

/** step(x) = x > 0 ? 1 : alpha, NaN stays NaN; float32 with alpha 0 (the ReLU gradient) runs natively. */
function nativeStep(stock: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const alpha = (args.attrs?.alpha as number | undefined) ?? 0;
    if (x.dtype !== "float32" || alpha !== 0) return stock(args);
    const backend = args.backend as unknown as NodeBackend;
    const t = typeAttr(backend, "T", "float32");
    const zero = scalar(0);
    const positive = backend.executeSingleOutput("Greater", [t], [x, zero]);
    const castAttrs = [typeAttr(backend, "SrcT", "bool"), typeAttr(backend, "DstT", "float32"), { name: "Truncate", type: backend.binding.TF_ATTR_BOOL, value: false }];
    const mask = backend.executeSingleOutput("Cast", castAttrs, [positive]);
    const nan = backend.executeSingleOutput("IsNan", [t], [x]);
    const out = backend.executeSingleOutput("Select", [t], [nan, x, mask]);
    for (const temp of [zero, positive, mask, nan]) temp.dispose();
    return out;
  };
}

function replaceNativeKernel(kernelName: string, make: (stock: KernelFunc) => KernelFunc): void {
  const stock = getKernel(kernelName, NATIVE) as KernelConfig | undefined;
  if (stock === undefined) return;
  unregisterKernel(kernelName, NATIVE);
  registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
}

/** The FusedBatchNorm gradient with shared per-channel sums, on the native backend; stock elsewhere. */
function registerBatchNormGradient(): void {
  const stock = getGradient(FusedBatchNorm);
  registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const dyTensor = dy as Tensor;
      const perChannel = mean.rank === 1 && variance.rank === 1 && mean.shape[0] === x.shape[x.rank - 1];
      if (getBackend() !== NATIVE || !perChannel || scale === undefined || dyTensor.dtype !== "float32") {
        return stock.gradFunc(dy, saved, attrs);
      }
      const axes = x.shape.slice(0, -1).map((_, axis) => axis);
      const r = rsqrt(add(variance, (attrs as NamedAttrMap).varianceEpsilon as number));
      const factor = mul(r, scale);
      const sumDy = sum(dyTensor, axes);
      const sumDyCentred = sum(mul(dyTensor, sub(x, mean)), axes);
      return {
        x: () => mul(dyTensor, factor),
        mean: () => neg(mul(factor, sumDy)),
        variance: () => mul(mul(mul(r, r), factor), mul(sumDyCentred, -0.5)),
        scale: () => mul(r, sumDyCentred),
        offset: () => sumDy,
      };
    },
  });
}

let registered = false;

/** Register (once) the native training kernels. Call after `@tensorflow/tfjs-node` is loaded. */
export function registerNativeTrainingKernels(): void {
  if (registered) return;
  registered = true;
  replaceNativeKernel(Step, nativeStep);
  registerBatchNormGradient();
  registerMeanGradient();
}
