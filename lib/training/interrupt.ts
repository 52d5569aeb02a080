/**
 * Stopping a training when the reader asks: Jupyter's Interrupt (and Ctrl-C in a terminal) sends SIGINT
 * to the kernel. tslab answers it by abandoning the cell's promise ("Interrupted asynchronously") while
 * the work behind it goes on, so a training must listen for the signal itself and stop at the next step.
 */
import { ReaderError } from "../errors";

/** The training stopped because it was interrupted; its last checkpoint is intact. */
export class TrainingInterrupted extends ReaderError {}

export interface InterruptWatch {
  /** True once SIGINT has arrived. */
  readonly requested: boolean;
  /** Stop listening. */
  stop(): void;
}

/**
 * Listen for SIGINT until `stop()`: the first calls `onInterrupt`; in a plain terminal process (no other
 * listener, such as tslab's) a second one exits at once, as Ctrl-C normally does.
 *
 * Must be called outside a cell's synchronous start: tslab runs that part with `breakOnSigint`, and a
 * SIGINT listener added then leaves the kernel dying on the next interrupt (tslab 1.0.22, Node 20).
 */
export function watchInterrupts(onInterrupt: () => void): InterruptWatch {
  const alone = process.listenerCount("SIGINT") === 0;
  let requested = false;
  const listener = () => {
    if (requested && alone) process.exit(130);
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
