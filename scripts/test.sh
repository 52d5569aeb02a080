#!/usr/bin/env bash
# The test command (README, CI): set up, type-check, execute the notebooks in the smoke profile, run all tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

echo "[test] type-checking lib/, tests/ and scripts/ (tsc --noEmit, strict)" >&2
npx tsc --noEmit -p .

# The notebooks run first, in the smoke profile, so that the test files can check what they produced.
export FMNIST_PROFILE=smoke
export NOTEBOOK_RUN_DIR="$ROOT/out/smoke-notebooks"
# A fresh smoke run every time: no results of an earlier run are reused.
rm -rf "$NOTEBOOK_RUN_DIR" data/runs/smoke data/runs/smoke-*
bash scripts/run-notebooks.sh "$NOTEBOOK_RUN_DIR"

echo "[test] unit and notebook tests" >&2
# The spec reporter prints every test; tests/backend-reporter.mjs counts the tests per TensorFlow.js
# backend (native TensorFlow, wasm, cpu) and closes with one "tests: N passed, N failed" line.
summary="$ROOT/out/test-summary.txt"
status=0
TS_NODE_TRANSPILE_ONLY=1 node --test -r ts-node/register -r ./tests/backend-usage.ts \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./tests/backend-reporter.mjs --test-reporter-destination="$summary" \
  tests/*.test.ts || status=$?
cat "$summary"
exit "$status"
