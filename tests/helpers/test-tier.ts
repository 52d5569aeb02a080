/**
 * Preloaded into every test process, like backend-usage.ts. Under `npm run test:fast`
 * (FMNIST_TEST_TIER=fast) a test that trains a model (fit, fitDataset, trainOnBatch) or starts a process
 * fails, naming what it did: the fast tier's files are those without a `// Slow tier:` line, and this
 * keeps that list true as tests change.
 */
import childProcess from "node:child_process";
import Module from "node:module";

const SLOW_MARK = "// Slow tier:";

function refuse(what: string): never {
  throw new Error(
    `npm run test:fast runs tests that train nothing and start no process, but this one ${what}: ` +
      `give its file a "${SLOW_MARK} <why>" line (npm test still runs it)`,
  );
}

if (process.env.FMNIST_TEST_TIER === "fast" && process.env.NODE_TEST_CONTEXT !== undefined) {
  const processes = childProcess as unknown as Record<string, unknown>;
  for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"])
    processes[name] = () => refuse(`starts a process (child_process.${name})`);

  // tfjs-layers is loaded by the test file (through @tensorflow/tfjs or tfjs-node); patch its model once.
  const moduleLoader = Module as unknown as {
    _load: (request: string, ...rest: unknown[]) => unknown;
  };
  const load = moduleLoader._load;
  moduleLoader._load = function (request: string, ...rest: unknown[]) {
    const loaded = load.call(this, request, ...rest) as {
      LayersModel?: { prototype: Record<string, unknown> };
    };
    if (request === "@tensorflow/tfjs-layers" && loaded.LayersModel) {
      for (const method of ["fit", "fitDataset", "trainOnBatch"])
        loaded.LayersModel.prototype[method] = () => refuse(`trains a model (${method})`);
    }
    return loaded;
  };
}

/**
 * Options for a test or suite that trains or starts a process, in a file whose other tests are fast: it
 * is skipped under npm run test:fast, saying why.
 */
export function slowTier(why: string): { skip: string | false } {
  return { skip: process.env.FMNIST_TEST_TIER === "fast" && `slow tier: ${why}` };
}
