/**
 * The closing summary of `npm test`: the counts of every test run tests/helpers/backend-reporter.mjs
 * tallied (one JSON line each in the file given as argument), added up.
 *
 *   node tests/helpers/summarize-tests.mjs out/test-tally.jsonl
 */
import { readFileSync } from "node:fs";

const ORDER = ["tensorflow", "wasm", "cpu", "none"];
const LABELS = { tensorflow: "tensorflow (native)", none: "no TensorFlow.js" };

/** The per-backend table, then one plain line "tests: N passed, N failed, N skipped". */
export function formatSummary({ backends, passed, failed, skipped }) {
  const rank = (name) => ORDER.indexOf(name) + 1 || ORDER.length + 1;
  const names = Object.keys(backends).sort((a, b) => rank(a) - rank(b));
  const lines = [
    "",
    "Tests by the TensorFlow.js backend they ran on (a test that compares two backends counts for both):",
  ];
  for (const name of names) lines.push(`  ${(LABELS[name] ?? name).padEnd(20)} ${backends[name]}`);
  lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`, "");
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const total = { backends: {}, passed: 0, failed: 0, skipped: 0 };
  for (const line of readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean)) {
    const run = JSON.parse(line);
    for (const key of ["passed", "failed", "skipped"]) total[key] += run[key];
    for (const [name, n] of Object.entries(run.backends))
      total.backends[name] = (total.backends[name] ?? 0) + n;
  }
  process.stdout.write(formatSummary(total));
}
