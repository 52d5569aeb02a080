#!/usr/bin/env bash
# Execute the tutorial notebooks in reading order, headlessly, through the project's tslab kernel.
#   scripts/run-notebooks.sh --in-place     rewrite notebooks/*.ipynb with fresh outputs (the main job)
#   scripts/run-notebooks.sh OUT_DIR        write executed copies to OUT_DIR (CI's smoke run)
# The run profile comes from FMNIST_PROFILE (full | quick | smoke); see lib/session/profile.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# ts-node would cache the compiler under a fixed name in the shared /tmp (v8-compile-cache-<uid>).
export DISABLE_V8_COMPILE_CACHE=1
export JUPYTER_PATH="$ROOT/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# nbconvert shows a notebook's output only once it is done; the kernel's own stderr reaches this terminal,
# so training writes a line per epoch there (lib/notebook/progress.ts).
export FMNIST_TERMINAL_PROGRESS=1

target="${1:?usage: run-notebooks.sh --in-place | OUT_DIR}"
shopt -s nullglob
notebooks=(notebooks/[0-9]*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "no notebooks found in notebooks/" >&2; exit 1; }

times=()
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  echo "[notebooks] executing $name (profile: ${FMNIST_PROFILE:-default})" >&2
  start=$SECONDS
  if [ "$target" = "--in-place" ]; then
    out=(--inplace)
  else
    mkdir -p "$target"
    out=(--output-dir "$target" --output "$name")
  fi
  # Under nbconvert a tslab cell error says only "<Error>:"; the real message is in the cell's stderr output.
  # So errors are kept in the executed notebook and the checker below prints them and fails the run.
  "$ROOT/.venv/bin/jupyter" nbconvert --to notebook --execute --allow-errors "$nb" "${out[@]}" \
    --ExecutePreprocessor.kernel_name=fashion-mnist-tslab --ExecutePreprocessor.timeout=14400 \
    --ExecutePreprocessor.record_timing=False \
    --log-level=WARN
  echo "[notebooks] $name done in $((SECONDS - start)) s" >&2
  times+=("${name%.ipynb}=$((SECONDS - start))")
  executed="$nb"; [ "$target" = "--in-place" ] || executed="$target/$name"
  npx ts-node --transpile-only scripts/number-executions.ts "$executed"
  npx ts-node --transpile-only scripts/check-notebooks.ts "$executed"
done
# The main job's times, dated (data/benchmarks/tutorial-<profile>-<date>.json), for the README's figures.
if [ "$target" = "--in-place" ]; then
  npx ts-node --transpile-only scripts/record-tutorial.ts "${times[@]}"
fi
