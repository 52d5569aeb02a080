/**
 * A node:test reporter that closes the usual output with two things: how many passing tests ran kernels
 * on each TensorFlow.js backend (from the diagnostics tests/backend-usage.ts attaches to every test; a
 * test that compares two backends counts for both), and one plain line "tests: N passed, N failed".
 */
export default async function* backendReporter(source) {
  const perBackend = new Map();
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    const { type, data } = event;
    if ((type === "test:pass" || type === "test:fail") && data.details?.type !== "suite") {
      if (data.skip !== undefined || data.todo !== undefined) totals.skipped++;
      else totals[type === "test:pass" ? "passed" : "failed"]++;
    }
    const match = type === "test:diagnostic" ? /^backends: (.+)$/.exec(data.message) : null;
    if (match) for (const backend of match[1].split(",")) perBackend.set(backend, (perBackend.get(backend) ?? 0) + 1);
  }
  const order = ["tensorflow", "wasm", "cpu", "none"];
  const names = [...perBackend.keys()].sort((a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9));
  const label = (name) => (name === "none" ? "no TensorFlow.js" : name === "tensorflow" ? "tensorflow (native)" : name);
  yield "\nTests by the TensorFlow.js backend they ran on (a test that compares two backends counts for both):\n";
  for (const name of names) yield `  ${label(name).padEnd(20)} ${perBackend.get(name)}\n`;
  yield `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`;
}
