/**
 * The notebooks are the source of the code they teach, as in d2l.ai: a code cell whose first line is
 * `// @save lib/<folder>/<file>.ts` is written, with every other cell saved to that file, in reading order,
 * into that file, which later notebooks, the scripts and the tests import. `npm run save-cells` writes the
 * files (`npm run tutorial` and `npm test` run it first), and a test fails when a file differs from its cells.
 *
 * A saved cell holds imports and declarations only. In the file each declaration is exported, and each
 * `./lib/…` import points where the file sits: to another generated file of the same folder when that file
 * declares the names (a folder's entry file would import the file back), else to the entry file.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import ts from "typescript";
import { ReaderError } from "../lib/errors";
import { readNotebook, TUTORIAL_NOTEBOOKS } from "./notebook-checks";
import type { Notebook } from "./notebook-checks";

const ROOT = path.resolve(__dirname, "..");
const SAVE_MARK = /^\/\/ @save (lib\/[\w/-]+\.ts)\s*$/;

interface SavedCell {
  notebook: string;
  /** Counting code and Markdown cells from 1, as JupyterLab's cell list does. */
  cell: number;
  target: string;
  source: ts.SourceFile;
}

/** A cell that cannot be saved as it is: names the notebook, the cell and what to change. */
class SavedCellError extends ReaderError {}

/** A tutorial notebook by name, as committed in notebooks/. */
const committedNotebook = (name: string): Notebook =>
  readNotebook(path.join(ROOT, "notebooks", `${name}.ipynb`));

function savedCells(notebookNamed: (name: string) => Notebook): SavedCell[] {
  const cells: SavedCell[] = [];
  for (const name of TUTORIAL_NOTEBOOKS) {
    const notebook = notebookNamed(name);
    notebook.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const [first, ...rest] = text.split("\n");
      const mark = SAVE_MARK.exec(first);
      if (!mark) return;
      const code = rest.join("\n");
      const source = ts.createSourceFile(`${name}.ts`, code, ts.ScriptTarget.ES2020, true);
      cells.push({ notebook: `notebooks/${name}.ipynb`, cell: index + 1, target: mark[1], source });
    });
  }
  return cells;
}

type Declaration =
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.InterfaceDeclaration
  | ts.TypeAliasDeclaration
  | ts.VariableStatement;

function isDeclaration(statement: ts.Statement): statement is Declaration {
  return (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isVariableStatement(statement)
  );
}

function declaredNames(statement: Declaration): string[] {
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.map((d) => d.name.getText());
  return statement.name ? [statement.name.getText()] : [];
}

interface ImportedName {
  name: string;
  typeOnly: boolean;
}

/** The names a `./lib/<folder>` entry file passes on, by the file of that folder that declares them. */
function entryExports(entry: string): Map<string, string> {
  const text = fs.readFileSync(path.join(ROOT, `${entry}.ts`), "utf8");
  const source = ts.createSourceFile(entry, text, ts.ScriptTarget.ES2020, true);
  const byName = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
    if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    const from = path.join(
      path.dirname(entry),
      (statement.moduleSpecifier as ts.StringLiteral).text,
    );
    for (const element of statement.exportClause.elements) byName.set(element.name.text, from);
  }
  return byName;
}

/** A block comment of `text`, its lines filled to the project's width (Prettier leaves comments alone). */
function comment(text: string, width = 100): string {
  const lines: string[] = [];
  // A code span is one word: its spaces must not break it across lines.
  for (const word of text.match(/`[^`]*`\S*|\S+/g) ?? []) {
    const last = lines.length - 1;
    if (last >= 0 && ` * ${lines[last]} ${word}`.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return ["/**", ...lines.map((line) => ` * ${line}`), " */"].join("\n");
}

const withDot = (relative: string) => (relative.startsWith(".") ? relative : `./${relative}`);

/** Each generated file's text, by its path from the project root (e.g. lib/model/mini-vgg.ts). */
export async function generatedFiles(
  notebookNamed: (name: string) => Notebook = committedNotebook,
): Promise<Map<string, string>> {
  const cells = savedCells(notebookNamed);
  const declaredIn = new Map<string, string>();
  for (const cell of cells) {
    for (const statement of cell.source.statements) {
      if (ts.isImportDeclaration(statement)) continue;
      if (!isDeclaration(statement)) {
        const line = statement.getText().split("\n")[0];
        throw new SavedCellError(
          `${cell.notebook}, cell ${cell.cell} (// @save ${cell.target}): only imports and declarations ` +
            `are saved, but it also runs \`${line}\`; move that to a cell of its own`,
        );
      }
      for (const name of declaredNames(statement)) declaredIn.set(name, cell.target);
    }
  }

  const files = new Map<string, string>();
  for (const target of [...new Set(cells.map((cell) => cell.target))]) {
    const own = cells.filter((cell) => cell.target === target);
    const imports = new Map<string, ImportedName[]>();
    const addImport = (from: string, imported: ImportedName) => {
      const names = imports.get(from) ?? [];
      if (!names.some((n) => n.name === imported.name)) names.push(imported);
      imports.set(from, names);
    };
    const bodies: string[] = [];
    for (const cell of own) {
      for (const statement of cell.source.statements) {
        if (ts.isImportDeclaration(statement)) {
          const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
          const clause = statement.importClause;
          const named = clause?.namedBindings;
          if (!clause || !named || !ts.isNamedImports(named) || clause.name)
            throw new SavedCellError(
              `${cell.notebook}, cell ${cell.cell}: write \`import { … } from "${specifier}"\` in a saved cell`,
            );
          for (const element of named.elements) {
            const name = element.name.text;
            const imported = { name, typeOnly: clause.isTypeOnly || element.isTypeOnly };
            if (!specifier.startsWith("./lib/")) {
              addImport(specifier, imported);
              continue;
            }
            const declaring = declaredIn.get(name);
            if (declaring === target) continue;
            const module = specifier.slice(2);
            const sameFolder = path.dirname(target) === module;
            const file = sameFolder
              ? (declaring?.replace(/\.ts$/, "") ?? entryExports(module).get(name))
              : module;
            if (file === undefined)
              throw new SavedCellError(
                `${cell.notebook}, cell ${cell.cell}: ${module}.ts passes on no ${name}`,
              );
            addImport(withDot(path.relative(path.dirname(target), file)), imported);
          }
          continue;
        }
        const text = cell.source.text;
        const start = statement.getStart();
        const comments = text.slice(statement.pos, start).trim();
        const exported =
          ts.canHaveModifiers(statement) &&
          ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        bodies.push(
          `${comments ? `${comments}\n` : ""}${exported ? "" : "export "}${text.slice(start, statement.end)}`,
        );
      }
    }
    const importLines = [...imports].map(([from, names]) => {
      const allTypes = names.every((n) => n.typeOnly);
      const list = names
        .map((n) => (n.typeOnly && !allTypes ? `type ${n.name}` : n.name))
        .sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, "")))
        .join(", ");
      return `import ${allTypes ? "type " : ""}{ ${list} } from "${from}";`;
    });
    const sources = [...new Set(own.map((c) => c.notebook))]
      .map((notebook) => {
        const numbers = own.filter((c) => c.notebook === notebook).map((c) => c.cell);
        return `${notebook} (cell${numbers.length > 1 ? "s" : ""} ${numbers.join(", ")})`;
      })
      .join(" and ");
    const header = comment(
      `Generated by \`npm run save-cells\` from ${sources}, the cells marked \`// @save ${target}\`. ` +
        "Edit those cells, not this file: `npm test` fails when the two differ.",
    );
    const text = [header, importLines.join("\n"), ...bodies].join("\n\n");
    const options = (await prettier.resolveConfig(path.join(ROOT, target))) ?? {};
    files.set(
      target,
      await prettier.format(text, { ...options, filepath: path.join(ROOT, target) }),
    );
  }
  return files;
}

/** Which of the generated files differ on disk from their text (missing ones included). */
export function staleFiles(files: Map<string, string>): string[] {
  const stale: string[] = [];
  for (const [file, text] of files) {
    const onDisk = fs.existsSync(path.join(ROOT, file))
      ? fs.readFileSync(path.join(ROOT, file), "utf8")
      : undefined;
    if (onDisk !== text) stale.push(file);
  }
  return stale;
}
