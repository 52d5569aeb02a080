#!/usr/bin/env bash
# The test command (README, CI): set up, type-check, lint, check formatting, run the unit tests, execute the
# notebooks in the smoke profile, then run the tests on what they produced.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

echo "[test] type-checking lib/, tests/ and scripts/ (tsc --noEmit, strict)" >&2
npx tsc --noEmit -p .
echo "[test] linting (typescript-eslint) and formatting (prettier --check)" >&2
npm run --silent lint
npm run --silent format:check

echo "[test] unit tests (npm run test:unit)" >&2
npm run --silent test:unit

# The notebooks run in the smoke profile, so that the notebook tests can check what they produced.
export FMNIST_PROFILE=smoke
export NOTEBOOK_RUN_DIR="$ROOT/out/smoke-notebooks"
# A fresh smoke run every time: no results of an earlier run are reused.
rm -rf "$NOTEBOOK_RUN_DIR" data/runs/smoke data/runs/smoke-improved data/runs/smoke-augmented
bash scripts/run-notebooks.sh "$NOTEBOOK_RUN_DIR"

echo "[test] notebook tests (the committed notebooks and this run's, also in a browser)" >&2
TS_NODE_TRANSPILE_ONLY=1 node --test -r ts-node/register tests/notebooks/*.test.ts
