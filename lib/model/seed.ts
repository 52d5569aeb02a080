/**
 * Seeded initial weights, so that a run can be repeated: every conv and dense kernel is drawn again from
 * Glorot-uniform (the layers' default initializer) with its own seed — the same seed everywhere would give
 * every layer the same pattern. Biases and batch-norm weights keep their fixed initial values.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { tf } from "../backend";

const SEEDED_LAYERS = new Set(["Conv2D", "Dense"]);

export function seedInitialWeights(model: LayersModel, seed: number): void {
  let index = 0;
  for (const layer of model.layers) {
    if (!SEEDED_LAYERS.has(layer.getClassName())) continue;
    const [kernel, ...rest] = layer.getWeights();
    const initializer = tf.initializers.glorotUniform({ seed: seed + index++ });
    const fresh = initializer.apply(kernel.shape, "float32");
    layer.setWeights([fresh, ...rest]);
    fresh.dispose();
  }
}
