#!/usr/bin/env bash
# Part of npm test: the tutorial on the supported Node.js versions other than the machine's own
# (scripts/node-versions.sh). Each is installed, pinned, from the npm registry's `node` package into a
# cache outside the project (FMNIST_NODE_CACHE, default ~/.cache/fashion-mnist-tutorial/node), once. Then,
# on each: set-up's checks (the addon loads and computes; one version at a time), and, the versions side by
# side, npm run test:fast, a native smoke training and the notebooks executed headlessly through the
# tslab kernel on the smoke profile. Each version's output is printed as one block, every line prefixed
# with its version; a table of the results ends it.
#   scripts/other-nodes.sh [VERSION ...]    those versions instead (e.g. 24.21.0)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/node-versions.sh

CACHE="${FMNIST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fashion-mnist-tutorial/node}"
OUT="$ROOT/out/other-nodes"
# What no supported Node.js may print: deprecation and other process warnings, TensorFlow's start-up notes.
NOISE='\(node:[0-9]+\) \[?[A-Z]*[0-9]*\]? ?[A-Za-z]*Warning|absl::InitializeLog|^[IWEF][0-9]{4} [0-9:.]+ +[0-9]+ '
BASE_PATH="$PATH"

say() { printf '[node %s] %s\n' "$version" "$*" >&2; }

# The cached Node.js binary folder of $version, installed if missing (into a temporary folder, then renamed).
node_bin_dir() {
  local dir="$CACHE/$version" temp
  if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$version" ]; then
    say "installing Node.js $version from the npm registry into $dir"
    temp="$(mktemp -d "$CACHE/.install-XXXXXX")"
    timeout 600 npm install --prefix "$temp" --no-audit --no-fund --loglevel=error "node@$version" >&2 || return 1
    rm -rf "$dir"
    mv "$temp" "$dir"
  fi
  echo "$dir/node_modules/.bin"
}

# check NAME COMMAND...: run it with its output in $OUT/<version>/NAME.log; true when it passed and printed
# no noise.
check() {
  local name="$1"; shift
  local log="$OUT/$version/$name.log"
  "$@" > "$log" 2>&1 && ! grep -Eq "$NOISE" "$log"
}
# Why a check failed, in a few words: its last line, and any noise it printed.
why() {
  local log="$OUT/$version/$1.log"
  { tail -n 1 "$log" | cut -c1-100; grep -Em2 "$NOISE" "$log" | cut -c1-100; } | tr '\n' ' ' || true
}
cell() { cat "$OUT/$version/$1.cell"; }

# The checks that take minutes, for $version (PATH set); each writes its table cell to <name>.cell.
heavy_checks() {
  if check test-fast npm run --silent test:fast; then
    echo "pass: $(node tests/helpers/summarize-tests.mjs "$FMNIST_TEST_TALLY" | grep -o '[0-9]* passed.*' || true)"
  else
    echo "FAIL: $(why test-fast)"
  fi > "$OUT/$version/test-fast.cell"
  if check smoke-training env FMNIST_PROFILE=smoke TFJS_BACKEND=tensorflow npm run --silent train; then
    echo "pass: $(grep -o 'Final validation accuracy [0-9.]*' "$OUT/$version/smoke-training.log" || true)"
  else
    echo "FAIL: $(why smoke-training)"
  fi > "$OUT/$version/smoke-training.cell"
  start=$SECONDS
  if check smoke-notebooks env FMNIST_PROFILE=smoke bash scripts/run-notebooks.sh "$OUT/$version/notebooks"; then
    echo "pass: $(ls "$OUT/$version/notebooks"/*.ipynb | wc -l) notebooks in $((SECONDS - start)) s"
  else
    echo "FAIL: $(why smoke-notebooks)"
  fi > "$OUT/$version/smoke-notebooks.cell"
}

if [ $# -gt 0 ]; then versions=("$@"); else versions=("${PINNED_NODE_VERSIONS[@]}"); fi
machine_major="$(node -p 'process.versions.node.split(".")[0]')"
mkdir -p "$CACHE"
tested=()
for version in "${versions[@]}"; do
  [ "${version%%.*}" = "$machine_major" ] && continue
  rm -rf "${OUT:?}/$version"
  mkdir -p "$OUT/$version"
  tested+=("$version")
  say "set-up's checks"
  if bin="$(node_bin_dir)" && PATH="$bin:$BASE_PATH" check setup bash scripts/setup.sh &&
    grep -q "is available on Node.js v$version" "$OUT/$version/setup.log"; then
    echo "pass: native TensorFlow computes" > "$OUT/$version/setup.cell"
    echo "$bin" > "$OUT/$version/bin"
  else
    echo "FAIL: $(why setup)" > "$OUT/$version/setup.cell"
  fi
done

# Side by side: each is mostly one busy thread (a test process, a kernel compiling lib/), so two cores
# run two versions in about the time of one.
pids=()
for version in "${tested[@]}"; do
  [ -f "$OUT/$version/bin" ] || continue
  say "npm run test:fast, a smoke training and the smoke notebooks"
  (
    export PATH="$(cat "$OUT/$version/bin"):$BASE_PATH"
    export FMNIST_RUNS_DIR="$OUT/$version/runs" FMNIST_TEST_TALLY="$OUT/$version/tally.jsonl"
    heavy_checks
  ) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

failed=0
rows=()
for version in "${tested[@]}"; do
  for name in setup test-fast smoke-training smoke-notebooks; do
    [ -f "$OUT/$version/$name.log" ] && sed "s/^/[node $version] /" "$OUT/$version/$name.log" >&2
    [ -f "$OUT/$version/$name.cell" ] || echo "FAIL: not run" > "$OUT/$version/$name.cell"
    grep -q '^pass' "$OUT/$version/$name.cell" || failed=1
  done
  rows+=("v$version | $(cell setup) | $(cell test-fast) | $(cell smoke-training) | $(cell smoke-notebooks)")
done

{
  echo ""
  echo "Node.js | set-up | npm run test:fast | native smoke training | smoke notebooks (tslab)"
  echo "$(node --version) (the machine's) | the rest of npm test ran on it | | |"
  printf '%s\n' "${rows[@]}"
} >&2
exit "$failed"
