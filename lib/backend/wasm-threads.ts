/* eslint-disable @typescript-eslint/no-require-imports -- the Emscripten glue and worker are loaded by path */
/**
 * Multi-threaded XNNPACK for the wasm backend under Node.js.
 *
 * tfjs-backend-wasm ships a threaded SIMD build but never uses it in Node (tfjs issue #3830), and it would
 * not start there as is:
 *  1. the pthread worker is handed to `new Worker()` as a `blob:` URL, which Node's worker_threads refuse;
 *     the worker is also told to load the Emscripten glue from a Blob, which it cannot read synchronously;
 *  2. the C side caps its pool at (logical cores ÷ 2), i.e. 1 thread on a 2-core machine;
 *  3. the pool is created synchronously while the workers are still loading, and the main thread then
 *     waits for threads that cannot start before it yields: a deadlock.
 * So we (1) write the worker script to a file that loads the glue from disk, (2) report enough cores
 * while the module initialises, and (3) start with a 1-thread pool and recreate the pool at full size
 * once every worker has loaded. What the threads gain is measured in lib/backend/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import type * as tfTypes from "@tensorflow/tfjs";
import type * as wasmTypes from "@tensorflow/tfjs-backend-wasm";
import { privateTempDir } from "../files";

// The module object itself (not an ES-namespace copy): the Emscripten glue reads `cpus` from it.
const os = require("os") as { cpus: () => unknown[] };

type Tf = typeof tfTypes;
type WasmPackage = typeof wasmTypes;

/** The parts of the Emscripten module (threaded build) we need. */
interface ThreadedModule {
  PThread?: {
    unusedWorkers: Array<{ loaded?: boolean; unref?: () => void }>;
    runningWorkers: Array<{ unref?: () => void }>;
  };
  tfjs: { initWithThreadsCount(n: number): void; getThreadsCount(): number };
}

const GLUE = "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js";
const WORKER = "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js";

let workerDir: string | undefined;

/**
 * Write a Node-loadable pthread worker script and return its path: in a private temporary folder of this
 * process (never a fixed name in the shared /tmp, where another user could plant a link or a script),
 * removed when the process exits.
 */
function workerScriptFile(): string {
  const glue = require.resolve(GLUE);
  const { wasmWorkerContents } = require(WORKER) as { wasmWorkerContents: string };
  // The package escapes newlines the same way before making its Blob: the source holds "\n" inside strings.
  const source =
    wasmWorkerContents.replace(/\n/g, "\\n") +
    // Inside the worker the glue arrives as a Blob; point its object URL at the glue file instead.
    `;URL.createObjectURL=()=>${JSON.stringify(glue)};URL.revokeObjectURL=()=>{};\n`;
  if (workerDir === undefined) {
    const dir = privateTempDir("wasm-worker");
    workerDir = dir;
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const file = path.join(workerDir, "pthread-worker.js");
  fs.writeFileSync(file, source, { mode: 0o600 });
  return file;
}

async function untilWorkersLoaded(module: ThreadedModule, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const workers = module.PThread?.unusedWorkers ?? [];
  while (!workers.every((w) => w.loaded)) {
    if (Date.now() > deadline) throw new Error("wasm pthread workers did not load in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Initialise the wasm backend with `threads` XNNPACK threads. Returns the thread count in use.
 * Throws (with the backend left uninitialised) if the threaded build cannot start.
 */
export async function initThreadedWasm(
  tf: Tf,
  wasm: WasmPackage,
  threads: number,
): Promise<number> {
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")))
    throw new Error("the threaded wasm build needs WebAssembly SIMD");
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);

  const workerFile = workerScriptFile();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  // Only the pthread worker script is turned into an object URL on the main thread during init.
  URL.createObjectURL = () => workerFile;
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  wasm.setThreadsCount(1);
  let ok: boolean;
  try {
    ok = await tf.setBackend("wasm");
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  if (!ok) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    throw new Error("the threaded wasm backend failed to initialise");
  }

  const module = (tf.backend() as unknown as { wasm: ThreadedModule }).wasm;
  await untilWorkersLoaded(module, 10_000);
  module.tfjs.initWithThreadsCount(threads);
  // Pool threads keep their workers referenced; without this the process would never exit.
  for (const worker of module.PThread?.runningWorkers ?? []) worker.unref?.();
  return module.tfjs.getThreadsCount();
}
