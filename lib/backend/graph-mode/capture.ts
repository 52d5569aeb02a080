/**
 * What the graphs of training steps and of forward passes share: run a computation eagerly while recording
 * it, turn the recording into a loaded graph, and say once, for each reason, why something runs eagerly.
 */
import type { Tensor } from "@tensorflow/tfjs";
import { nativeBackend } from "../native-kernels";
import { DT_BOOL, DT_FLOAT, DT_INT32 } from "./graph-def";
import { GraphSession } from "./graph-session";
import { record } from "./record";
import type { GraphBackend } from "./record";
import { NotAGraph, stepGraph } from "./step-graph";
import type { Feed } from "./step-graph";

const GRAPH_DTYPE: Record<string, number> = { float32: DT_FLOAT, int32: DT_INT32, bool: DT_BOOL };

/** The batch's tensors: inputs, targets and any sample weights (tfjs-layers passes null for none). */
export function present(data: Tensor[]): Tensor[] {
  return data.filter((t) => t != null);
}

/** The dtypes and shapes of a batch's tensors: one graph each. */
export function shapesKey(data: Tensor[]): string {
  return data.map((t) => (t == null ? "none" : `${t.dtype}[${t.shape.join(",")}]`)).join(" ");
}

export function graphBackend(): GraphBackend {
  return nativeBackend() as unknown as GraphBackend;
}

/** Feeds for named tensors, with their binding ids as they are now (before the computation). */
export function feedsOf(named: Array<[string, Tensor]>): Feed[] {
  const ids = graphBackend().getInputTensorIds(named.map(([, t]) => t));
  return named.map(([key, t], i) => ({
    key,
    id: ids[i],
    dtype: GRAPH_DTYPE[t.dtype] ?? -1,
    shape: t.shape,
  }));
}

/** What to make a graph of, once the computation has run: more feeds, and the tensors to output. */
export interface GraphEnds {
  feeds: Feed[];
  fetches: Tensor[];
}

/**
 * Runs `compute` eagerly, recording it, and loads the graph from `feeds` (and any `ends` adds) to the
 * tensors `ends` names; `ends` returns a reason instead where the run showed that no graph can do it.
 */
export function capture<T>(
  feeds: Feed[],
  compute: () => T,
  ends: (result: T) => GraphEnds | string,
): { result: T; session: GraphSession | string } {
  const backend = graphBackend();
  const { result, recording } = record(backend, compute);
  const wanted = ends(result);
  if (typeof wanted === "string") return { result, session: wanted };
  try {
    const fetches = backend.getInputTensorIds(wanted.fetches);
    const graph = stepGraph(recording, [...feeds, ...wanted.feeds], fetches);
    return { result, session: GraphSession.load(backend, graph) };
  } catch (e) {
    const message = (e as Error).message.split("\n")[0];
    const reason =
      e instanceof NotAGraph ? message : `TensorFlow did not load its graph (${message})`;
    return { result, session: reason };
  }
}

/** Reasons already told, so that each is said once. */
const told = new Set<string>();

export function tellEager(what: string, reason: string): void {
  const message = `${what} runs op by op (eagerly), not as one TensorFlow graph: ${reason}.`;
  if (told.has(message)) return;
  told.add(message);
  console.warn(message);
}
