#!/usr/bin/env bash
# The test command (README, CI): set up, type-check, lint, check formatting, run the unit tests, execute the
# notebooks in the smoke profile, run the tests on what they produced, then run them in JupyterLab; last,
# the same essentials on every other supported Node.js version (scripts/other-nodes.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# ts-node would cache the compiler under a fixed name in the shared /tmp (v8-compile-cache-<uid>).
export DISABLE_V8_COMPILE_CACHE=1
bash scripts/setup.sh

# The code the notebooks teach is saved from their cells into lib/ (npm run save-cells); CI checks that the
# committed files are those the committed cells make.
if [ -n "${CI:-}" ]; then
  echo "[test] the lib files saved from notebook cells match their cells (npm run save-cells -- --check)" >&2
  npx ts-node --transpile-only scripts/save-cells.ts --check
else
  npx ts-node --transpile-only scripts/save-cells.ts
fi

echo "[test] type-checking lib/, tests/ and scripts/ (tsc --noEmit, strict)" >&2
npx tsc --noEmit -p .
echo "[test] linting (typescript-eslint; dependency-cruiser's layer rules; knip's unused exports) and formatting (prettier --check)" >&2
npm run --silent lint
npm run --silent format:check

# The tests' runs live in a folder of their own, never in the reader's data/runs (lib/settings.ts).
export FMNIST_RUNS_DIR="$ROOT/out/test-runs"

# Each test run appends its counts here; the last lines of the output add them up.
export FMNIST_TEST_TALLY="$ROOT/out/test-tally.jsonl"
mkdir -p out && rm -f "$FMNIST_TEST_TALLY"

echo "[test] unit tests (npm run test:unit)" >&2
npm run --silent test:unit

# The notebooks run in the smoke profile, so that the notebook tests can check what they produced.
export FMNIST_PROFILE=smoke
export NOTEBOOK_RUN_DIR="$ROOT/out/smoke-notebooks"
# A fresh smoke run every time: no results of an earlier test run are reused. remove-runs.ts refuses,
# deleting nothing, while another test run is training in that folder.
rm -rf "$NOTEBOOK_RUN_DIR"
npx ts-node --transpile-only scripts/remove-runs.ts "$FMNIST_RUNS_DIR"
bash scripts/run-notebooks.sh "$NOTEBOOK_RUN_DIR"

echo "[test] notebook tests (the committed notebooks and this run's, also in a browser)" >&2
status=0
bash scripts/node-test.sh $(find tests/notebooks -name '*.test.ts' ! -name jupyterlab.test.ts | sort) || status=$?
# After the tests above, not beside them: it trains a smoke run of its own in a temporary folder (notebook
# 6 reuses the variants of the headless run above).
echo "[test] the notebooks in JupyterLab, run from its menus in a browser (out/jupyterlab/)" >&2
bash scripts/node-test.sh tests/notebooks/jupyterlab.test.ts || status=$?
echo "[test] the other supported Node.js versions: set-up, fast tests, a smoke training and the notebooks on each" >&2
bash scripts/other-nodes.sh || status=$?
node tests/helpers/summarize-tests.mjs "$FMNIST_TEST_TALLY"
exit "$status"
