/**
 * The single TensorFlow.js instance every notebook, test and script uses.
 *
 * Native TensorFlow (`@tensorflow/tfjs-node`) is preferred; when its addon cannot load we fall back to the
 * pure-JS `@tensorflow/tfjs` package with the `wasm` backend (multi-threaded, plus our training kernels),
 * then `cpu`. `TFJS_BACKEND=tensorflow|wasm|cpu` forces a choice; `TFJS_WASM_THREADS=n` sets the wasm
 * thread count (default: one per core; 1 = the single-threaded build). Both are read by lib/settings.ts.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the backend packages are chosen at run time */
import * as os from "os";
import type * as tfTypes from "@tensorflow/tfjs";
import type * as wasmTypes from "@tensorflow/tfjs-backend-wasm";
import { backendSetting, graphSetting, wasmThreadsSetting } from "../settings";
import type { BackendName } from "../settings";
import { useGraphMode } from "./graph-mode";
import { requireWithStartUpLog } from "./start-up-log";
import { registerNativeTrainingKernels } from "./native-kernels";
import { registerWasmTrainingKernels } from "./wasm-kernels";
import { initThreadedWasm } from "./wasm-threads";

const NATIVE_HINT =
  "for native TensorFlow (faster), run `bash scripts/setup.sh`: it installs @tensorflow/tfjs-node, " +
  "or builds it against TensorFlow from PyPI (see environment.md)";

/** The native binding, or why it is unavailable. A missing package and a broken addon both land here. */
function loadNative(): { tf: typeof tfTypes } | { error: string } {
  // TensorFlow's C++ logging would print start-up notes (CPU features, oneDNN) into every terminal.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
  // TensorFlow turns its oneDNN kernels on by default only on some CPUs; this model trains faster with
  // them on every CPU we measured (scripts/bench_keras.py sets the same for the Keras reference).
  process.env.TF_ENABLE_ONEDNN_OPTS ??= "1";
  try {
    const native = requireWithStartUpLog("@tensorflow/tfjs-node") as typeof tfTypes;
    registerNativeTrainingKernels();
    return { tf: native };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] };
  }
}

/**
 * TFJS_BACKEND as set, or the reason it cannot be used. A bad value is not thrown while this module loads —
 * that would surface as a stack trace from an import — but by `initBackend()`, which every notebook's first
 * cell and every script awaits before computing; until then `tf` is the pure-JS package, unused.
 */
const forcedOrError = ((): { forced: BackendName | undefined } | { error: unknown } => {
  try {
    return { forced: backendSetting() };
  } catch (error) {
    return { error };
  }
})();
const forced = "forced" in forcedOrError ? forcedOrError.forced : undefined;
const native =
  "forced" in forcedOrError && (forced === undefined || forced === "tensorflow")
    ? loadNative()
    : { error: `TFJS_BACKEND=${forced}` };

export const tf: typeof tfTypes =
  "tf" in native ? native.tf : (require("@tensorflow/tfjs") as typeof tfTypes);

export interface BackendInfo {
  name: BackendName;
  native: boolean;
  /** Whether training steps and predictions run as TensorFlow graphs (native, unless FMNIST_GRAPH=0). */
  graph: boolean;
  /** How the model's computations run, in words: in graph mode, or op by op and why. */
  mode: string;
  /** Threads the backend computes with (wasm: XNNPACK pool size; tensorflow: decided by TensorFlow). */
  threads?: number;
  /** On a fallback: why native TensorFlow is not used and how to get it. */
  note?: string;
  /** The backend and its threads, e.g. "wasm (2 threads)". */
  label: string;
  /** One line saying all of the above. */
  summary: string;
}

let wasmReady: Promise<number> | undefined;

/** The CPU cores this process may use. */
export function cpuCores(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/** TFJS_WASM_THREADS, or one thread per core. Throws on a bad value (before any fallback can hide it). */
function requestedWasmThreads(): number {
  return wasmThreadsSetting() ?? cpuCores();
}

/**
 * Make `wasm` the active backend, with threads where possible and our training kernels registered.
 * Returns the number of threads. Usable even when native TensorFlow is loaded (the tests compare backends).
 */
export function initWasmBackend(): Promise<number> {
  const threads = requestedWasmThreads();
  wasmReady ??= (async () => {
    const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof wasmTypes;
    let used = 1;
    let threaded = false;
    if (threads > 1) {
      try {
        used = await initThreadedWasm(tf, wasm, threads);
        threaded = true;
      } catch (e) {
        console.warn(`wasm threads unavailable (${(e as Error).message}); using one thread`);
      }
    }
    if (!threaded && !(await tf.setBackend("wasm")))
      throw new Error("the wasm backend failed to initialise");
    registerWasmTrainingKernels();
    return used;
  })();
  return wasmReady.then(async (threads) => {
    if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
    return threads;
  });
}

/** Why native TensorFlow is not used, in words: a missing package is not a module-resolution error. */
function whyNotNative(error: string): string {
  return /Cannot find module '@tensorflow\/tfjs-node'/.test(error)
    ? "native TensorFlow is not installed"
    : `native TensorFlow is installed but does not load (${error})`;
}

let ready: Promise<BackendInfo> | undefined;

/**
 * Select the backend once; later calls return the same answer. Always `await` it. Print `summary` to say
 * which runs.
 */
export function initBackend(): Promise<BackendInfo> {
  ready ??= chooseBackend();
  return ready;
}

async function chooseBackend(): Promise<BackendInfo> {
  if ("error" in forcedOrError) throw forcedOrError.error;
  // A bad thread count is the reader's mistake to hear about, not a reason to fall back to cpu below.
  requestedWasmThreads();
  if ("tf" in native) {
    await tf.ready();
    const version = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding
      ?.TF_Version;
    const label = `native TensorFlow ${version ?? ""} (@tensorflow/tfjs-node), ${cpuCores()} CPU cores`;
    const graph = graphSetting();
    if (graph) useGraphMode();
    const mode = graph
      ? "graph mode (each training step and prediction batch is one TensorFlow graph)"
      : "op by op (FMNIST_GRAPH=0)";
    return {
      name: "tensorflow",
      native: true,
      graph,
      mode,
      label,
      summary: `TensorFlow.js backend: ${label}; ${mode}`,
    };
  }
  if (forced === "tensorflow") {
    throw new Error(
      `TFJS_BACKEND=tensorflow, but @tensorflow/tfjs-node could not be loaded (${native.error}); ${NATIVE_HINT}.`,
    );
  }
  const note = forced === undefined ? `${whyNotNative(native.error)}; ${NATIVE_HINT}` : undefined;
  const fallback = (name: BackendName, threads: number): BackendInfo => {
    const engine = name === "wasm" ? "WebAssembly" : "plain JavaScript (cpu backend)";
    const label = `${engine}, ${threads} thread${threads === 1 ? "" : "s"}`;
    return {
      name,
      native: false,
      graph: false,
      mode: "op by op (graphs need native TensorFlow)",
      threads,
      note,
      label,
      summary: `TensorFlow.js backend: ${label}${note ? ` — ${note}` : ""}`,
    };
  };

  if (forced === undefined || forced === "wasm") {
    try {
      return fallback("wasm", await initWasmBackend());
    } catch (e) {
      if (forced === "wasm")
        throw new Error(`TFJS_BACKEND=wasm, but the wasm backend failed: ${(e as Error).message}`);
    }
  }
  if (!(await tf.setBackend("cpu")))
    throw new Error("No TensorFlow.js backend could be initialised (tried wasm, cpu).");
  return fallback("cpu", 1);
}
