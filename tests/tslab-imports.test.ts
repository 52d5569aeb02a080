/**
 * tslab 1.0.22 resolves imports in notebook cells and in the lib/ files they load its own way: a relative
 * import `./x` must be a file `x.ts` (a folder's index.ts is not found), and a package import `canvas` is
 * first looked up as a file `canvas.ts` beside the importing file. tsc and ts-node resolve both the Node
 * way, so only a notebook run would notice; this test notices in a second.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..");
const IMPORT = /(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|require\("([^"]+)"\)/g;

function specifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

function libFiles(dir = path.join(ROOT, "lib")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** What tslab would fail to load: relative imports that are not files, packages shadowed by a file. */
function problems(file: string, source: string): string[] {
  const dir = path.dirname(file);
  return specifiers(source).flatMap((id) => {
    const relative = id.startsWith("./") || id.startsWith("../");
    const candidate = path.join(dir, relative ? id : id.split("/")[0]) + ".ts";
    if (relative && !fs.existsSync(candidate))
      return [`${path.relative(ROOT, file)}: "${id}" is not a file`];
    if (!relative && fs.existsSync(candidate)) {
      return [
        `${path.relative(ROOT, file)}: package "${id}" is shadowed by ${path.relative(ROOT, candidate)}`,
      ];
    }
    return [];
  });
}

describe("imports tslab can resolve", () => {
  it("in lib/", () => {
    assert.deepEqual(
      libFiles().flatMap((file) => problems(file, fs.readFileSync(file, "utf8"))),
      [],
    );
  });

  it("in the notebooks' code cells (tslab runs them from the project root)", () => {
    const found = fs
      .readdirSync(path.join(ROOT, "notebooks"))
      .filter((name) => name.endsWith(".ipynb"))
      .flatMap((name) => {
        const notebook = JSON.parse(
          fs.readFileSync(path.join(ROOT, "notebooks", name), "utf8"),
        ) as {
          cells: { cell_type: string; source: string | string[] }[];
        };
        const code = notebook.cells
          .filter((cell) => cell.cell_type === "code")
          .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
          .join("\n");
        return problems(path.join(ROOT, name), code).map((p) =>
          p.replace(name, `notebooks/${name}`),
        );
      });
    assert.deepEqual(found, []);
  });
});
