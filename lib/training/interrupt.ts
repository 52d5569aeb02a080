/**
 * Stopping a training when the reader asks: Jupyter's Interrupt (and Ctrl-C in a terminal) sends SIGINT
 * to the kernel. tslab's own answer is to abandon the running cell at once ("Interrupted asynchronously",
 * with its stack) while the work behind it goes on; a re-run then finds the old training still stopping.
 * So while a training runs it holds the signal itself: the step in progress ends, fit rejects with one
 * clear message, and only then does the cell end, with nothing left running.
 */
import { ReaderError } from "../errors";

/** The training stopped because it was interrupted; its last checkpoint is intact. */
export class TrainingInterrupted extends ReaderError {}

export interface InterruptWatch {
  /** True once SIGINT has arrived. */
  readonly requested: boolean;
  /** Stop listening, and give the signal back to the listeners it had before. */
  stop(): void;
}

/**
 * Listen for SIGINT until `stop()`, instead of the listeners the process has (tslab's): the first calls
 * `onInterrupt`; in a plain terminal process (no other listener) a second one exits at once, as Ctrl-C
 * normally does, and in a kernel it is ignored (the training is stopping already).
 *
 * Must be called outside a cell's synchronous start: tslab runs that part with `breakOnSigint`, and a
 * SIGINT listener added then leaves the kernel dying on the next interrupt (tslab 1.0.22, Node 20).
 */
export function watchInterrupts(onInterrupt: () => void): InterruptWatch {
  const others = process.listeners("SIGINT");
  for (const other of others) process.removeListener("SIGINT", other);
  let requested = false;
  const listener = () => {
    if (requested && others.length === 0) process.exit(130);
    if (requested) return;
    requested = true;
    stopping.add(watch);
    onInterrupt();
  };
  process.on("SIGINT", listener);
  const watch: InterruptWatch = {
    get requested() {
      return requested;
    },
    stop: () => {
      stopping.delete(watch);
      process.removeListener("SIGINT", listener);
      for (const other of others) process.on("SIGINT", other);
    },
  };
  return watch;
}

/** Watches whose training was interrupted and has not ended yet (on globalThis: tslab re-evaluates modules). */
const stopping: Set<InterruptWatch> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("fashion-mnist.stopping-trainings")
] ??= new Set<InterruptWatch>()) as Set<InterruptWatch>;

/** Whether a training of this process was interrupted and is finishing its step. */
export function interruptPending(): boolean {
  return stopping.size > 0;
}

/** Let pending events (a signal among them) run before the next step: one macrotask turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
