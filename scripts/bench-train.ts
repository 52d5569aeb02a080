/**
 * Training and inference throughput of MiniVGGNet on real Fashion-MNIST batches, per available backend
 * (native TensorFlow with each training step as one graph, and op by op; wasm), side by side with two
 * references on the same model, optimiser and batches: Keras (TensorFlow from the project's pinned wheel
 * in .venv, the one native TensorFlow.js links against) and PyTorch (Debian's python3-torch).
 *
 *   npm run bench:train -- [--steps 15] [--repeats 3] [--cpu] [--no-keras] [--no-torch] [--keras-eager]
 *
 * `--keras-eager` adds Keras running the same kernels op by op instead of as one graph: what the graph is
 * worth to Keras, beside what it is worth to TensorFlow.js.
 *
 * Each cell is the median of the repeats (best in brackets); all rows are measured in turn within each
 * repeat, so load from other processes on the machine hits them alike. Compare rows of one run only. The
 * figures are also written to data/benchmarks/train-<date>.json, with the commit and the machine.
 */
import { execFile } from "child_process";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { Tensor } from "@tensorflow/tfjs";
import { loadFashionMnist } from "../lib/data";
import { miniVGGNet } from "../lib/model";
import { initBackend, initWasmBackend, runEagerly, tf } from "../lib/backend";
import { projectCommit, runCommand } from "./command";
import { writeDatedFigures } from "./dated-figures";

const TRAIN_BATCHES = [32, 128];
const INFER_BATCH = 256;
const EXAMPLES = 4096;
const SYSTEM_PYTHON = "/usr/bin/python3";
const VENV_PYTHON = path.join(__dirname, "..", ".venv", "bin", "python");
/** One epoch of the article's run: 60,000 training images. */
const EPOCH_IMAGES = 60_000;

interface Options {
  steps: number;
  repeats: number;
  cpu: boolean;
  keras: boolean;
  torch: boolean;
  kerasEager: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    steps: 15,
    repeats: 3,
    cpu: false,
    keras: true,
    torch: true,
    kerasEager: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--steps" || arg === "--repeats") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      options[arg === "--steps" ? "steps" : "repeats"] = n;
    } else if (arg === "--cpu") options.cpu = true;
    else if (arg === "--no-keras") options.keras = false;
    else if (arg === "--no-torch") options.torch = false;
    else if (arg === "--keras-eager") options.kerasEager = true;
    else
      throw new Error(
        `unknown argument ${arg} (expected --steps N, --repeats N, --cpu, --no-keras, --no-torch, --keras-eager)`,
      );
  }
  return options;
}

/** One row of the table: images/s per column, one value per repeat. */
type Rates = Record<string, number[]>;
const COLUMNS = [...TRAIN_BATCHES.map((b) => `train b${b}`), `infer b${INFER_BATCH}`];

interface Data {
  x: Tensor;
  y: Tensor;
}

async function loadData(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  const { train } = await loadFashionMnist({ limitTrain: EXAMPLES, limitTest: 1, download: false });
  return { images: train.images, labels: train.labels };
}

/** Scaled to [0,1], [n,28,28,1], one-hot: on the active backend. */
function toTensors(images: Uint8Array, labels: Uint8Array): Data {
  return tf.tidy(() => ({
    x: tf.div(tf.tensor4d(Float32Array.from(images), [labels.length, 28, 28, 1]), 255),
    y: tf.oneHot(tf.tensor1d(Int32Array.from(labels), "int32"), 10).toFloat(),
  }));
}

function batchAt(data: Data, batch: number, step: number): [Tensor, Tensor] {
  const n = data.x.shape[0];
  const start = (step * batch) % (n - batch + 1);
  return [data.x.slice(start, batch), data.y.slice(start, batch)];
}

async function trainRate(
  data: Data,
  batch: number,
  steps: number,
  eager: boolean,
): Promise<number> {
  const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "categoricalCrossentropy" });
  if (eager) runEagerly(model);
  const step = async (i: number) => {
    const [x, y] = batchAt(data, batch, i);
    await model.trainOnBatch(x, y); // resolves once the loss is read back, i.e. the step has finished
    tf.dispose([x, y]);
  };
  // Warm-up: kernel set-up, XNNPACK operator creation, the optimiser's momentum, the recorded graph step.
  await step(0);
  await step(1);
  const t0 = performance.now();
  for (let i = 2; i < steps + 2; i++) await step(i);
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return (steps * batch) / seconds;
}

async function inferRate(data: Data, steps: number): Promise<number> {
  const model = miniVGGNet({ width: 28, height: 28, depth: 1, classes: 10 });
  const run = (i: number) => {
    const [x, y] = batchAt(data, INFER_BATCH, i);
    // One batch of INFER_BATCH (predict's default would split it into batches of 32).
    const out = model.predict(x, { batchSize: INFER_BATCH }) as Tensor;
    out.dataSync();
    tf.dispose([x, y, out]);
  };
  run(0);
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) run(i);
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return (steps * INFER_BATCH) / seconds;
}

/** One row: a backend, and whether its training steps run op by op; `infer` measures prediction too. */
interface TfjsRow {
  activate: () => Promise<string>;
  steps: number;
  eager: boolean;
  infer: boolean;
}

async function measureTfjs(data: Data, row: TfjsRow, rates: Rates): Promise<void> {
  for (const batch of TRAIN_BATCHES)
    (rates[`train b${batch}`] ??= []).push(await trainRate(data, batch, row.steps, row.eager));
  if (row.infer) (rates[`infer b${INFER_BATCH}`] ??= []).push(await inferRate(data, row.steps));
}

/** A reference implementation run as a child process: it prints one JSON line of rates per batch size. */
interface Reference {
  key: string;
  /** The option that turns it on. */
  option: "keras" | "torch" | "kerasEager";
  python: string;
  script: string;
  extraArgs?: string[];
  /** Why it cannot run here, or undefined when it can. */
  missing: () => Promise<string | undefined>;
  label: (result: Record<string, unknown>) => string;
}

const REFERENCES: Reference[] = [
  {
    key: "keras",
    option: "keras",
    python: VENV_PYTHON,
    script: "bench_keras.py",
    missing: missingKeras,
    label: (r) => `keras ${r.keras} (tf ${r.tensorflow})`,
  },
  {
    key: "keras-eager",
    option: "kerasEager",
    python: VENV_PYTHON,
    script: "bench_keras.py",
    extraArgs: ["--eager"],
    missing: missingKeras,
    label: (r) => `keras-eager ${r.keras} (tf ${r.tensorflow})`,
  },
  {
    key: "torch",
    option: "torch",
    python: SYSTEM_PYTHON,
    script: "bench_torch.py",
    missing: async () =>
      (await canImport(SYSTEM_PYTHON, "torch"))
        ? undefined
        : `${SYSTEM_PYTHON} -c "import torch" failed (apt install python3-torch)`,
    label: (r) => `pytorch ${r.torch} (${r.threads} thr)`,
  },
];

async function missingKeras(): Promise<string | undefined> {
  return (await canImport(VENV_PYTHON, "keras"))
    ? undefined
    : `${VENV_PYTHON} cannot import keras (run npm test or npm run tutorial once to set up .venv)`;
}

async function canImport(python: string, module: string): Promise<boolean> {
  try {
    await promisify(execFile)(python, ["-c", `import ${module}`], { timeout: 120_000 });
    return true;
  } catch {
    return false;
  }
}

async function measureReference(
  reference: Reference,
  steps: number,
  rates: Rates,
): Promise<string> {
  const args = [
    path.join(__dirname, reference.script),
    "--steps",
    String(steps),
    "--train-batches",
    TRAIN_BATCHES.join(","),
  ];
  args.push(
    "--infer-batch",
    String(INFER_BATCH),
    "--infer-steps",
    String(steps),
    "--examples",
    String(EXAMPLES),
  );
  if (reference.key === "torch") args.push("--threads", String(os.availableParallelism()));
  args.push(...(reference.extraArgs ?? []));
  // A stuck reference must not hang the benchmark: it gets ten minutes per repeat.
  const { stdout } = await promisify(execFile)(reference.python, args, {
    maxBuffer: 1 << 20,
    timeout: 600_000,
  });
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown> & {
    train: Record<string, number[]>;
    infer: Record<string, number[]>;
  };
  for (const batch of TRAIN_BATCHES)
    (rates[`train b${batch}`] ??= []).push(...result.train[String(batch)]);
  (rates[`infer b${INFER_BATCH}`] ??= []).push(...result.infer[String(INFER_BATCH)]);
  return reference.label(result);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  return m > 0 ? `${m}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}

/** The table, then one line per (TensorFlow.js row, reference) pair with the ratio of their medians. */
function printTable(rows: Array<[string, Rates]>, references: string[]): void {
  const label = Math.max(24, ...rows.map(([name]) => name.length));
  const cell = (s: string) => s.padStart(17);
  const epochColumn = "epoch (60k, b32)";
  console.log(`\nimages/s, median of repeats [best]; ${epochColumn}: projected from train b32`);
  console.log("".padEnd(label) + [...COLUMNS, epochColumn].map(cell).join(""));
  for (const [name, rates] of rows) {
    const cells = COLUMNS.map((c) =>
      rates[c] ? `${median(rates[c]).toFixed(1)} [${Math.max(...rates[c]).toFixed(1)}]` : "-",
    );
    const b32 = rates[`train b${TRAIN_BATCHES[0]}`];
    cells.push(b32 ? formatDuration(EPOCH_IMAGES / median(b32)) : "-");
    console.log(name.padEnd(label) + cells.map(cell).join(""));
  }
  const ours = rows.filter(([name]) => !references.includes(name));
  for (const [refName, refRates] of rows.filter(([name]) => references.includes(name))) {
    for (const [name, rates] of ours) {
      const cells = COLUMNS.map((c) =>
        rates[c] && refRates[c] ? `${(median(rates[c]) / median(refRates[c])).toFixed(2)}×` : "-",
      );
      console.log(
        `${name.split(" ")[0]} / ${refName.split(" ")[0]}`.padEnd(label) + cells.map(cell).join(""),
      );
    }
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  // Before minutes of measuring: a tree with uncommitted changes cannot be named in the dated file.
  projectCommit();
  const info = await initBackend();
  console.log(info.summary);
  const { images, labels } = await loadData();

  // Rows to measure, each with a function that activates its backend (and its label for the table).
  const native = (label: string) => async () => (await tf.setBackend("tensorflow"), label);
  const backends: TfjsRow[] = [];
  if (info.native) {
    // Prediction runs the same eager ops in both native rows, so only the first measures it.
    if (info.graph)
      backends.push({
        activate: native("native-graph (tfjs-node, each step one graph)"),
        steps: options.steps,
        eager: false,
        infer: true,
      });
    backends.push({
      activate: native("native-eager (tfjs-node, op by op)"),
      steps: options.steps,
      eager: true,
      infer: !info.graph,
    });
  }
  backends.push({
    activate: async () => `wasm (${await initWasmBackend()} thr)`,
    steps: options.steps,
    eager: true,
    infer: true,
  });
  // The pure-JS cpu backend needs seconds per image: two steps are enough to see it.
  if (options.cpu)
    backends.push({
      activate: async () => (await tf.setBackend("cpu"), "cpu"),
      steps: 2,
      eager: true,
      infer: true,
    });

  const references: Reference[] = [];
  for (const reference of REFERENCES) {
    if (!options[reference.option]) continue;
    const missing = await reference.missing();
    if (missing) console.log(`${reference.key} not measured: ${missing}.`);
    else references.push(reference);
  }

  const rows = new Map<string, Rates>();
  const referenceLabels = new Map<string, string>();
  for (let r = 0; r < options.repeats; r++) {
    for (const backend of backends) {
      const name = await backend.activate();
      const data = toTensors(images, labels);
      const rates = rows.get(name) ?? {};
      rows.set(name, rates);
      await measureTfjs(data, backend, rates);
      tf.dispose([data.x, data.y]);
    }
    for (const reference of references) {
      const rates = rows.get(reference.key) ?? {};
      rows.set(reference.key, rates);
      referenceLabels.set(reference.key, await measureReference(reference, options.steps, rates));
    }
    console.log(`repeat ${r + 1}/${options.repeats} done`);
  }
  const table: Array<[string, Rates]> = [...rows].map(([name, rates]) => [
    referenceLabels.get(name) ?? name,
    rates,
  ]);
  printTable(table, [...referenceLabels.values()]);
  const file = await saveFigures(table, info.summary, options);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

/** The run's figures, dated, with what they were measured on: data/benchmarks/train-<date>.json. */
async function saveFigures(
  table: Array<[string, Rates]>,
  backend: string,
  options: Options,
): Promise<string> {
  return writeDatedFigures("train", {
    backend,
    command: `npm run bench:train -- ${process.argv.slice(2).join(" ")}`.trim(),
    steps: options.steps,
    repeats: options.repeats,
    unit: "images/s, one value per repeat",
    rows: Object.fromEntries(table.map(([name, rates]) => [name, rates])),
  });
}

runCommand(main);
