/**
 * The Mean gradient as dy/n broadcast to x's shape, for every backend. tfjs-core's version multiplies dy
 * by a full-size tensor of ones that it fills in JavaScript on every call (for the batch-norm moments, on
 * every training step); dy·1/n and dy/n are the same floats, so this changes only the cost.
 */
import { broadcastTo, div, Mean, reshape, util } from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import type { GradientOverride } from "./gradient-override";

export const meanGradOverride: GradientOverride = {
  kernelName: Mean,
  gradFunc: () => (dy, saved, attrs) => {
    const [x] = saved;
    const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    const reduceSize = util.sizeFromShape(axes.map((axis) => x.shape[axis]));
    return { x: () => broadcastTo(div(reshape(dy as Tensor, keptShape), reduceSize), x.shape) };
  },
};
