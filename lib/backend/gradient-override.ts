/**
 * Replacing a gradient. tfjs registers gradients per kernel name for every backend, so a replacement that
 * pays off on one backend must defer to the stock gradient on the others; both the wasm and the native
 * kernels use this.
 */
import { getGradient, registerGradient } from "@tensorflow/tfjs";
import type { GradConfig } from "@tensorflow/tfjs";

/**
 * A replacement gradient. Gradients are registered per kernel name for every backend, so `gradFunc` gets
 * the stock gradient to defer to where the replacement does not apply.
 */
export interface GradientOverride {
  kernelName: string;
  gradFunc: (stock: GradConfig) => GradConfig["gradFunc"];
}

const registeredOverrides = new Set<GradientOverride>();

/**
 * Replace the gradient of `kernelName` (for every backend), keeping the stock config's other fields.
 * Safe to call more than once (another backend's kernels may register the same override).
 */
export function registerGradientOverride(override: GradientOverride): void {
  // Once only: a second registration would take the first for the stock gradient and wrap it again.
  if (registeredOverrides.has(override)) return;
  registeredOverrides.add(override);
  const stock = getGradient(override.kernelName);
  registerGradient({ ...stock, gradFunc: override.gradFunc(stock) });
}
