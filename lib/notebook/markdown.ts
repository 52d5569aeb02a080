/**
 * Markdown outputs: prose written from a run's numbers, and listings of the library's own source, so that
 * what a notebook shows is the code that runs. JupyterLab and GitHub render text/markdown; text/plain is
 * the fallback.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../paths";
import { showMulti } from "./display";

export function showMarkdown(markdown: string): void {
  showMulti({ "text/markdown": markdown, "text/plain": markdown });
}

/**
 * The source of the function or class `name` declared at the top level of `file` (relative to the project
 * root), exactly as written there, with its doc comment.
 */
export function functionSource(file: string, name: string): string {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find(
    (statement): statement is ts.FunctionDeclaration | ts.ClassDeclaration =>
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name?.text === name,
  );
  if (declaration === undefined) throw new Error(`${file} declares no function or class ${name}`);
  return text.slice(declaration.getStart(source, true), declaration.end);
}

/** Show functions' and classes' source as one listing, in the order given, with the file they come from. */
export function showSource(file: string, ...names: string[]): void {
  const listing = names.map((name) => functionSource(file, name)).join("\n\n");
  showMarkdown(`\`${file}\`:\n\n\`\`\`typescript\n${listing}\n\`\`\``);
}
