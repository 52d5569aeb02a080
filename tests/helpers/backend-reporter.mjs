/**
 * A node:test reporter that counts, besides the usual output, how many tests ran kernels on each
 * TensorFlow.js backend (from the diagnostics tests/helpers/backend-usage.ts attaches to every test; a test
 * that compares two backends counts for both) and how many passed, failed or were skipped.
 *
 * With FMNIST_TEST_TALLY set, it appends its counts as one JSON line to that file, and
 * tests/helpers/summarize-tests.mjs prints the sum of several runs (scripts/test.sh); otherwise it prints
 * them itself.
 */
import { appendFileSync } from "node:fs";
import { formatSummary } from "./summarize-tests.mjs";

export default async function* backendReporter(source) {
  const tally = { backends: {}, passed: 0, failed: 0, skipped: 0 };
  for await (const { type, data } of source) {
    if ((type === "test:pass" || type === "test:fail") && data.details?.type !== "suite") {
      if (data.skip !== undefined || data.todo !== undefined) tally.skipped++;
      else tally[type === "test:pass" ? "passed" : "failed"]++;
    }
    const match = type === "test:diagnostic" ? /^backends: (.+)$/.exec(data.message) : null;
    if (match)
      for (const name of match[1].split(","))
        tally.backends[name] = (tally.backends[name] ?? 0) + 1;
  }
  if (process.env.FMNIST_TEST_TALLY)
    appendFileSync(process.env.FMNIST_TEST_TALLY, `${JSON.stringify(tally)}\n`);
  else yield formatSummary(tally);
}
