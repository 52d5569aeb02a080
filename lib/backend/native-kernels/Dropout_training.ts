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
export interface DropoutLayer {
  rate: number;
  noiseShape?: number[];
  seed?: number;
}
type Kwargs = { training?: boolean } & Record<string, unknown>;

/**
 * The op's pair of seeds for the layer's next mask: the layer's seed (tfjs-core draws an unseeded layer's
 * mask from a random seed too), and a second that tells this use apart from others of the same seed.
 */
export function dropoutSeeds(layer: DropoutLayer): Tensor {
  const seed = layer.seed ?? Math.floor(Math.random() * 2 ** 31);
  return tensor1d([seed | 0, 0x0d5e], "int32");
}

type DrawObserver = (layer: DropoutLayer, seeds: Tensor) => void;
let drawObserver: DrawObserver | undefined;

/**
 * Call `observer` with each mask's layer and seeds, while they are drawn (a graph of the training step
 * feeds the seeds anew on every run instead of keeping the recorded ones); `undefined` stops.
 */
export function observeDropoutDraws(observer: DrawObserver | undefined): void {
  drawObserver = observer;
}

/** Uniform numbers in [0, 1) of the input's shape, the same for the same seeds. */
function statelessUniform(layer: DropoutLayer, shape: number[]): Tensor {
  const backend = nativeBackend();
  const shapeTensor = tensor1d(shape, "int32");
  const seeds = dropoutSeeds(layer);
  try {
    const uniform = backend.executeSingleOutput(
      "StatelessRandomUniform",
      [
        typeAttr(backend, "dtype", "float32"),
        typeAttr(backend, "T", "int32"),
        typeAttr(backend, "Tseed", "int32"),
      ],
      [shapeTensor, seeds],
    );
    drawObserver?.(layer, seeds);
    return uniform;
  } finally {
    shapeTensor.dispose();
    seeds.dispose();
  }
}

function nativeDropout(layer: DropoutLayer, input: Tensor): Tensor {
  return tidy(() => {
    const keep = 1 - layer.rate;
    const multiplier = div(floor(add(statelessUniform(layer, input.shape), keep)), keep);
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
