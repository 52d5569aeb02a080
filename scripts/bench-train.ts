/**
 * Training and inference throughput of MiniVGGNet on real Fashion-MNIST batches, per available backend,
 * side by side with PyTorch (Debian's python3-torch) on the same model, optimiser and batches.
 *
 *   npm run bench:train -- [--steps 15] [--repeats 3] [--cpu] [--no-torch]
 *
 * Each cell is the median of the repeats (best in brackets); wasm and PyTorch runs alternate, so load from
 * other processes on the machine hits both alike.
 */
import { execFile } from "child_process";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { Tensor } from "@tensorflow/tfjs";
import { loadFashionMnist } from "../lib/data";
import { build } from "../lib/model";
import { initBackend, initWasmBackend, tf } from "../lib/backend";

const TRAIN_BATCHES = [32, 128];
const INFER_BATCH = 256;
const EXAMPLES = 4096;
const SYSTEM_PYTHON = "/usr/bin/python3";

interface Options {
  steps: number;
  repeats: number;
  cpu: boolean;
  torch: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { steps: 15, repeats: 3, cpu: false, torch: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--steps" || arg === "--repeats") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      options[arg === "--steps" ? "steps" : "repeats"] = n;
    } else if (arg === "--cpu") options.cpu = true;
    else if (arg === "--no-torch") options.torch = false;
    else throw new Error(`unknown argument ${arg} (expected --steps N, --repeats N, --cpu, --no-torch)`);
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

async function trainRate(data: Data, batch: number, steps: number): Promise<number> {
  const model = build({ width: 28, height: 28, depth: 1, classes: 10 });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "categoricalCrossentropy" });
  const step = async (i: number) => {
    const [x, y] = batchAt(data, batch, i);
    await model.trainOnBatch(x, y); // resolves once the loss is read back, i.e. the step has finished
    tf.dispose([x, y]);
  };
  await step(0); // warm-up: kernel set-up, XNNPACK operator creation, optimiser slots
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) await step(i);
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return (steps * batch) / seconds;
}

async function inferRate(data: Data, steps: number): Promise<number> {
  const model = build({ width: 28, height: 28, depth: 1, classes: 10 });
  const run = (i: number) => {
    const [x, y] = batchAt(data, INFER_BATCH, i);
    const out = model.predict(x) as Tensor;
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

async function measureTfjs(data: Data, steps: number, rates: Rates): Promise<void> {
  for (const batch of TRAIN_BATCHES) (rates[`train b${batch}`] ??= []).push(await trainRate(data, batch, steps));
  (rates[`infer b${INFER_BATCH}`] ??= []).push(await inferRate(data, steps));
}

async function torchAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)(SYSTEM_PYTHON, ["-c", "import torch"]);
    return true;
  } catch {
    return false;
  }
}

async function measureTorch(steps: number, rates: Rates): Promise<string> {
  const script = path.join(__dirname, "bench_torch.py");
  const args = [script, "--steps", String(steps), "--train-batches", TRAIN_BATCHES.join(","), "--infer-batch", String(INFER_BATCH)];
  args.push("--infer-steps", String(steps), "--threads", String(os.availableParallelism()), "--examples", String(EXAMPLES));
  const { stdout } = await promisify(execFile)(SYSTEM_PYTHON, args, { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
    torch: string;
    threads: number;
    train: Record<string, number[]>;
    infer: Record<string, number[]>;
  };
  for (const batch of TRAIN_BATCHES) (rates[`train b${batch}`] ??= []).push(...result.train[String(batch)]);
  (rates[`infer b${INFER_BATCH}`] ??= []).push(...result.infer[String(INFER_BATCH)]);
  return `pytorch ${result.torch} (${result.threads} thr)`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function printTable(rows: Array<[string, Rates]>, ratio?: [string, string]): void {
  const label = Math.max(18, ...rows.map(([name]) => name.length));
  const cell = (s: string) => s.padStart(17);
  console.log(`\nimages/s, median of repeats [best]`);
  console.log("".padEnd(label) + COLUMNS.map(cell).join(""));
  for (const [name, rates] of rows) {
    const cells = COLUMNS.map((c) => (rates[c] ? `${median(rates[c]).toFixed(1)} [${Math.max(...rates[c]).toFixed(1)}]` : "-"));
    console.log(name.padEnd(label) + cells.map(cell).join(""));
  }
  if (ratio) {
    const [num, den] = ratio.map((name) => rows.find(([n]) => n === name)?.[1]);
    if (num && den) {
      const cells = COLUMNS.map((c) => (num[c] && den[c] ? `${(median(num[c]) / median(den[c])).toFixed(2)}×` : "-"));
      console.log(`${ratio[0].split(" ")[0]} / pytorch`.padEnd(label) + cells.map(cell).join(""));
    }
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const info = await initBackend();
  console.log(info.summary);
  const { images, labels } = await loadData();

  // Backends to measure, each with a function that activates it (and its label for the table).
  const backends: Array<{ activate: () => Promise<string>; steps: number }> = [];
  if (info.native) backends.push({ activate: async () => (await tf.setBackend("tensorflow"), "tensorflow (native)"), steps: options.steps });
  backends.push({ activate: async () => `wasm (${await initWasmBackend()} thr)`, steps: options.steps });
  // The pure-JS cpu backend needs seconds per image: two steps are enough to see it.
  if (options.cpu) backends.push({ activate: async () => (await tf.setBackend("cpu"), "cpu"), steps: 2 });

  const torch = options.torch && (await torchAvailable());
  if (options.torch && !torch) console.log(`PyTorch not measured: ${SYSTEM_PYTHON} -c "import torch" failed (apt install python3-torch).`);

  const rows = new Map<string, Rates>();
  let wasmLabel = "";
  let torchLabel = "";
  for (let r = 0; r < options.repeats; r++) {
    for (const backend of backends) {
      const name = await backend.activate();
      if (name.startsWith("wasm")) wasmLabel = name;
      const data = toTensors(images, labels);
      const rates = rows.get(name) ?? {};
      rows.set(name, rates);
      await measureTfjs(data, backend.steps, rates);
      tf.dispose([data.x, data.y]);
    }
    if (torch) {
      const rates = rows.get("pytorch") ?? {};
      torchLabel = await measureTorch(options.steps, rates);
      rows.set("pytorch", rates);
    }
    console.log(`repeat ${r + 1}/${options.repeats} done`);
  }
  const table: Array<[string, Rates]> = [...rows].map(([name, rates]) => [name === "pytorch" ? torchLabel : name, rates]);
  printTable(table, torch ? [wasmLabel, torchLabel] : undefined);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
