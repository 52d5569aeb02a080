/**
 * The web page as a static folder: web/page.ts bundled with esbuild (TensorFlow.js and the shared
 * preprocessing included, nothing from a CDN), the page's HTML and CSS, TensorFlow.js's WebAssembly files,
 * a finished run's model files, and the example photos.
 */
import * as fs from "fs";
import * as path from "path";
import { build } from "esbuild";
import { FileProblemError } from "../errors";
import { runTitle } from "../notebook";
import { readPlainFile, writeDirAtomic } from "../files";
import { PROJECT_ROOT } from "../paths";
import { EXAMPLE_PHOTOS } from "../photos";
import type { FinishedRun } from "../training";

const WEB_SOURCE = path.join(PROJECT_ROOT, "web");
const WASM_DIR = path.join(
  path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
  "dist",
);
/** Marks a folder as a page this project wrote, so that `--out` replaces only such a folder. */
const PAGE_INFO = "page-info.json";
/** Far larger than any model.json, weights.bin or example photo of this project. */
const PAGE_FILE_MAX_BYTES = 64 * 2 ** 20;

export interface PageModel {
  /** Shown on the page: which model, trained how (e.g. "MiniVGGNet (article), full profile"). */
  description: string;
  /** The run's model folder (model.json and weights.bin). */
  dir: string;
}

/** The page's model: a finished run's model files, named as the notebooks name that run. */
export function pageModelOf(run: FinishedRun): PageModel {
  return { description: runTitle(run.profile, run.variant), dir: run.paths.model };
}

/** The page's files by their path in the folder: what a static host serves. */
export async function pageFiles(model: PageModel): Promise<Record<string, Uint8Array | string>> {
  const bundle = await build({
    entryPoints: [path.join(WEB_SOURCE, "page.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const read = (file: string) => readPlainFile(file, { maxBytes: PAGE_FILE_MAX_BYTES });
  const files: Record<string, Uint8Array | string> = {
    "index.html": read(path.join(WEB_SOURCE, "index.html")),
    "page.css": read(path.join(WEB_SOURCE, "page.css")),
    "page.js": bundle.outputFiles[0].contents,
    "model/model.json": read(path.join(model.dir, "model.json")),
    "model/weights.bin": read(path.join(model.dir, "weights.bin")),
  };
  for (const name of fs.readdirSync(WASM_DIR).filter((f) => f.endsWith(".wasm")))
    files[`wasm/${name}`] = read(path.join(WASM_DIR, name));
  for (const example of EXAMPLE_PHOTOS) files[`examples/${example.file}`] = read(example.path);
  files[PAGE_INFO] = JSON.stringify(
    {
      model: model.description,
      examples: EXAMPLE_PHOTOS.map(({ file, description }) => ({ file, caption: description })),
    },
    null,
    2,
  );
  return files;
}

/**
 * Write the page into `dir`, all at once: a folder that is not there is made, an earlier page is replaced,
 * and any other folder with something in it is left untouched (refused).
 */
export async function writePage(dir: string, model: PageModel): Promise<void> {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new FileProblemError(dir, "is a file, not a folder", "give a folder for the page");
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (entries.length > 0 && !entries.includes(PAGE_INFO))
    throw new FileProblemError(
      dir,
      "already holds files that are not a page written by npm run web",
      "give a new or empty folder, or one an earlier `npm run web -- --out` wrote",
    );
  const files = await pageFiles(model);
  await writeDirAtomic(dir, files);
}
