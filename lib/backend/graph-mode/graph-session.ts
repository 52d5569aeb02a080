/**
 * A graph loaded into a TensorFlow session through tfjs-node's SavedModel path (the C API's
 * TF_LoadSessionFromSavedModel, then TF_SessionRun with named inputs and outputs): TensorFlow optimises
 * the whole graph once (Grappler, oneDNN's rewrites) and runs it in one call, with no JavaScript between
 * its ops. The session keeps the graph in memory; the file it was loaded from is deleted at once.
 */
import * as fs from "fs";
import * as path from "path";
import type { Tensor } from "@tensorflow/tfjs";
import { withPrivateTempDir } from "../../files";
import { DT_BOOL, DT_INT32 } from "./graph-def";
import type { GraphBackend } from "./record";
import type { StepGraph } from "./step-graph";

const TF_DTYPE_NAMES: Record<number, string> = { [DT_INT32]: "DT_INT32", [DT_BOOL]: "DT_BOOL" };

export class GraphSession {
  private readonly inputInfos: Array<{ name: string; tfDtype: string }>;
  private readonly outputNames: string[];
  private disposed = false;

  private constructor(
    private readonly backend: GraphBackend,
    private readonly id: number,
    graph: StepGraph,
  ) {
    this.inputInfos = graph.inputs.map((t) => ({
      name: t.tensor,
      tfDtype: TF_DTYPE_NAMES[t.dtype] ?? "DT_FLOAT",
    }));
    this.outputNames = graph.outputs.map((t) => t.tensor);
  }

  /** Loads `graph`; throws TensorFlow's own message when it rejects the graph. */
  static load(backend: GraphBackend, graph: StepGraph): GraphSession {
    return withPrivateTempDir("graph", (dir) => {
      fs.writeFileSync(path.join(dir, "saved_model.pb"), graph.bytes);
      return new GraphSession(backend, backend.binding.loadSavedModel(dir, "serve"), graph);
    });
  }

  /** One run: `inputs` in the graph's input order; the outputs are new tensors the caller owns. */
  run(inputs: Tensor[]): Tensor[] {
    if (this.disposed) throw new Error("this graph's session was closed");
    return this.backend.runSavedModel(this.id, inputs, this.inputInfos, this.outputNames);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.binding.deleteSavedModel(this.id);
  }
}
