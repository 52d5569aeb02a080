/**
 * The unused-export check (`npm run lint`): every name lib/ exports is used by a notebook or a script (the
 * tests may use it too, but do not count), and nothing else in the project is exported or kept for nothing.
 * The notebooks count as entry points: their code cells are read as TypeScript, with `./lib/` taken from
 * the project root as the tslab kernel does. (Run with --no-gitignore: knip would read .gitignore's
 * `data/*` as every folder named data, lib/data/ included.)
 */
import type { KnipConfig } from "knip";

/** A notebook's code cells as one TypeScript file, imports made relative to notebooks/. */
function notebookCode(text: string): string {
  const notebook = JSON.parse(text) as { cells: { cell_type: string; source: string | string[] }[] };
  return notebook.cells
    .filter((cell) => cell.cell_type === "code")
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
    .join("\n")
    .replace(/from "\.\/lib\//g, 'from "../lib/');
}

const config: KnipConfig = {
  // The `!` ones are the product: `knip --production` (also in `npm run lint`) reads only them, so a name
  // that only the tests use is reported there.
  entry: [
    "notebooks/*.ipynb!",
    "scripts/*.ts!",
    "tests/**/*.test.ts",
    "tests/helpers/*.{ts,mjs}",
    // The web page's bundle (lib/web/build.ts hands it to esbuild).
    "web/page.ts!",
  ],
  project: [
    "lib/**/*.ts!",
    "scripts/**/*.ts!",
    "tests/**/*.{ts,mjs}",
    "web/**/*.ts!",
    "notebooks/*.ipynb!",
  ],
  // A name used in its own file is not exported for nothing (a saved cell's declarations are all exported).
  ignoreExportsUsedInFile: true,
  compilers: { ipynb: notebookCode },
  // The Jupyter kernel (scripts/tslab-kernel) runs tslab; the tests call zcat, mkfifo, and (as root) mount
  // and umount for a read-only disk.
  ignoreDependencies: ["tslab"],
  ignoreBinaries: ["zcat", "mkfifo", "mount", "umount"],
};

export default config;
