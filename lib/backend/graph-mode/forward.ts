/**
 * Prediction and evaluation as graphs: `model.predict` (per batch) and the test function that `evaluate`
 * and `fit`'s validation run. Both are a forward pass in inference mode, a function of the batch and the
 * model's weights only, so the graph takes the batch and every weight (batch normalisation's moving
 * statistics among them) and gives the outputs. The first batch of each shape runs eagerly once, to be
 * recorded, and then through its new graph like every other.
 */
import { dispose, getBackend } from "@tensorflow/tfjs";
import type { LayersModel, Tensor } from "@tensorflow/tfjs";
import { NATIVE } from "../native-kernels";
import { capture, feedsOf, present, shapesKey, tellEager } from "./capture";
import { GraphSession } from "./graph-session";

export class ForwardGraphs {
  private readonly graphs = new Map<string, GraphSession | string>();

  constructor(private readonly model: LayersModel) {}

  /** `eager()` computes what `data` gives, op by op; `what` names it in a message ("Prediction"). */
  run(what: string, data: Tensor[], eager: () => Tensor[]): Tensor[] {
    const weights = this.model.weights.map((w) => w.read());
    const key = `${what} ${shapesKey(data)} ${weights.length}`;
    const known = this.graphs.get(key);
    if (known instanceof GraphSession) return known.run([...present(data), ...weights]);
    if (known !== undefined) return eager();
    if (getBackend() !== NATIVE) return eager();
    const feeds = feedsOf([
      ...present(data).map((t, i): [string, Tensor] => [`data${i}`, t]),
      ...weights.map((t, i): [string, Tensor] => [`weight${i}`, t]),
    ]);
    const { result, session } = capture(feeds, eager, (outputs) => ({
      feeds: [],
      fetches: outputs,
    }));
    this.graphs.set(key, session);
    if (typeof session === "string") {
      tellEager(what, session);
      return result;
    }
    // The answer comes from the graph, as every later batch's does: the batch a process happens to record
    // on (a resumed run records anew) must not get the eager path's last-digit differences.
    dispose(result);
    return session.run([...present(data), ...weights]);
  }

  dispose(): void {
    for (const graph of this.graphs.values()) if (graph instanceof GraphSession) graph.dispose();
    this.graphs.clear();
  }
}
