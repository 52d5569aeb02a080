/**
 * How long loading and verifying Fashion-MNIST takes, beside the time `zcat` needs just to decompress the
 * same files (a floor no JavaScript loader can beat by much). Target: about 1 s at most, and no more than
 * twice zcat. Prints the best and the median of several runs, since this machine is shared and noisy.
 */
import { spawnSync } from "child_process";
import { DEBIAN_DIR, loadFashionMnist } from "../lib/data";
import { benchmarkRunsSetting, datasetDirSetting } from "../lib/settings";
import { projectCommit, runCommand } from "./command";
import { writeDatedFigures } from "./dated-figures";

function summary(times: number[]): { best: number; median: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

async function main(): Promise<void> {
  const runs = benchmarkRunsSetting();
  // After the settings: a mistyped one is reported whatever the tree's state.
  projectCommit();
  const dir = datasetDirSetting() ?? DEBIAN_DIR;
  const files = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
  ].map((name) => `${dir}/${name}.gz`);
  const loader: number[] = [];
  const zcat: number[] = [];
  for (let run = 0; run < runs; run++) {
    let start = process.hrtime.bigint();
    const data = await loadFashionMnist({ dataDir: dir });
    loader.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (data.train.count !== 60_000) throw new Error("unexpected train size");
    start = process.hrtime.bigint();
    const result = spawnSync("zcat", files, { stdio: ["ignore", "ignore", "inherit"] });
    zcat.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error("zcat failed");
  }
  const l = summary(loader);
  const z = summary(zcat);
  const row = (name: string, s: { best: number; median: number }) =>
    `${name.padEnd(42)} ${s.best.toFixed(0).padStart(8)} ${s.median.toFixed(0).padStart(10)}`;
  console.log(`Fashion-MNIST, 4 files from ${dir}, ${runs} runs (ms)`);
  console.log(`${"".padEnd(42)} ${"best".padStart(8)} ${"median".padStart(10)}`);
  console.log(row("loadFashionMnist (gunzip + parse + SHA-256)", l));
  console.log(row("zcat (decompress only, reference)", z));
  console.log(
    `ratio loader/zcat: best ${(l.best / z.best).toFixed(2)}×, median ${(l.median / z.median).toFixed(2)}×`,
  );
  const file = await writeDatedFigures("load", {
    command: "npm run bench:load",
    files: dir,
    runs,
    unit: "ms",
    loadFashionMnist: l,
    zcat: z,
  });
  console.log(`Wrote ${file}`);
}

runCommand(main);
