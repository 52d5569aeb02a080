/**
 * Preloaded into every test process (`node --test -r ./tests/helpers/backend-usage.ts`): notes which TensorFlow.js
 * backends each test ran kernels on and attaches that to the test as a diagnostic, which
 * tests/helpers/backend-reporter.mjs counts. Tests that never touch TensorFlow.js note "none".
 */
import { afterEach, beforeEach } from "node:test";

interface Engine {
  backendName: string;
  runKernel: (...args: unknown[]) => unknown;
}

const PATCHED = Symbol("backend-usage");
let used = new Set<string>();

/** The engine is created when tfjs-core is first loaded, by the test file; patch it once it exists. */
function watchEngine(): void {
  const engine = (globalThis as { _tfengine?: Engine & { [PATCHED]?: true } })._tfengine;
  if (engine === undefined || engine[PATCHED]) return;
  const runKernel = engine.runKernel.bind(engine);
  engine.runKernel = (...args: unknown[]) => {
    used.add(engine.backendName);
    return runKernel(...args);
  };
  engine[PATCHED] = true;
}

// `node --test` preloads this into its own process too, which runs no tests: hooks there would make it
// report an empty extra run.
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  beforeEach(() => {
    watchEngine();
    used = new Set();
  });

  afterEach((t) => {
    watchEngine();
    if ("diagnostic" in t) t.diagnostic(`backends: ${[...used].sort().join(",") || "none"}`);
  });
}
