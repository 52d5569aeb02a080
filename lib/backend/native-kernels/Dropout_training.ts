/**
 * Dropout in training on native TensorFlow with TensorFlow's random numbers, as Keras draws them: one
 * StatelessRandomUniform op (a counter-based generator, run in C++ on every core) instead of
 * tfjs-core's randomUniform, which draws each number of the mask in JavaScript, one at a time, and then
 * copies the mask into TensorFlow. The mask is made the same way from those numbers
 * (floor(u + keep) / keep), and a seeded layer still gives the same mask every time; only the stream of
 * numbers differs from the other backends'. Elsewhere (other backends, a noise shape, rate 0 or 1,
 * inference) the stock call runs.
 */
import { add, div, floor, getBackend, layers, mul, tensor1d, tidy } from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import { NATIVE, nativeBackend, replaceLayerCall, typeAttr } from "./kernel-utils";

/** The parts of tfjs-layers' Dropout this relies on (it exports no type for them). */
interface DropoutLayer {
  rate: number;
  noiseShape?: number[];
  seed?: number;
}
type Kwargs = { training?: boolean } & Record<string, unknown>;

/** Uniform numbers in [0, 1) of `shape`, the same for the same seed. */
function statelessUniform(shape: number[], seed: number): Tensor {
  const backend = nativeBackend();
  const shapeTensor = tensor1d(shape, "int32");
  // The op takes a pair of seeds; the second tells this use apart from others of the same seed.
  const seeds = tensor1d([seed | 0, 0x0d5e], "int32");
  try {
    return backend.executeSingleOutput(
      "StatelessRandomUniform",
      [
        typeAttr(backend, "dtype", "float32"),
        typeAttr(backend, "T", "int32"),
        typeAttr(backend, "Tseed", "int32"),
      ],
      [shapeTensor, seeds],
    );
  } finally {
    shapeTensor.dispose();
    seeds.dispose();
  }
}

function nativeDropout(layer: DropoutLayer, input: Tensor): Tensor {
  return tidy(() => {
    const keep = 1 - layer.rate;
    // tfjs-core draws an unseeded layer's mask from a random seed too
    const seed = layer.seed ?? Math.floor(Math.random() * 2 ** 31);
    const multiplier = div(floor(add(statelessUniform(input.shape, seed), keep)), keep);
    return mul(input, multiplier);
  });
}

function applies(layer: DropoutLayer, input: Tensor, kwargs: Kwargs): boolean {
  return (
    kwargs.training === true &&
    getBackend() === NATIVE &&
    input.dtype === "float32" &&
    layer.noiseShape == null &&
    layer.rate > 0 &&
    layer.rate < 1
  );
}

let replaced = false;

/** Make every Dropout layer draw its training masks with TensorFlow's generator on native (once). */
export function useNativeDropoutInTraining(): void {
  if (replaced) return;
  replaced = true;
  replaceLayerCall(layers.dropout({ rate: 0.5 }), applies, nativeDropout);
}
