#!/usr/bin/env bash
# Part of npm test: the tutorial on the supported Node.js versions other than the machine's own
# (scripts/node-versions.sh). Each is installed, pinned, from the npm registry's `node` package into a
# cache outside the project (FMNIST_NODE_CACHE, default ~/.cache/fashion-mnist-tutorial/node), once; then
# on it: set-up's checks (the addon loads and computes), npm run test:fast, a native smoke training, and
# the six notebooks executed headlessly through the tslab kernel on the smoke profile. Every check's
# output is prefixed with its Node.js version; a table of the results ends it.
#   scripts/other-nodes.sh [VERSION ...]    those versions instead (e.g. 24.21.0)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/node-versions.sh

CACHE="${FMNIST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fashion-mnist-tutorial/node}"
OUT="$ROOT/out/other-nodes"
# What no supported Node.js may print: deprecation and other process warnings, TensorFlow's start-up notes.
NOISE='\(node:[0-9]+\) \[?[A-Z]*[0-9]*\]? ?[A-Za-z]*Warning|absl::InitializeLog|^[IWEF][0-9]{4} [0-9:.]+ +[0-9]+ '

say() { printf '[node %s] %s\n' "$version" "$*" >&2; }

# The cached Node.js binary of $version, installed if missing (into a temporary folder, then renamed).
node_bin_dir() {
  local dir="$CACHE/$version" temp
  if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$version" ]; then
    say "installing Node.js $version from the npm registry into $dir"
    temp="$(mktemp -d "$CACHE/.install-XXXXXX")"
    timeout 600 npm install --prefix "$temp" --no-audit --no-fund --loglevel=error "node@$version" >&2
    rm -rf "$dir"
    mv "$temp" "$dir"
  fi
  echo "$dir/node_modules/.bin"
}

# Run a check with the output prefixed; its output is also kept in $OUT/<version>/<name>.log.
check() {
  local name="$1"; shift
  local log="$OUT/$version/$name.log"
  say "$name"
  if "$@" > "$log" 2>&1; then status=0; else status=$?; fi
  sed "s/^/[node $version] /" "$log" >&2
  return "$status"
}

quiet() { ! grep -Eq "$NOISE" "$1"; }
noise() { grep -Em3 "$NOISE" "$1" | cut -c1-120 | tr '\n' ' '; }

BASE_PATH="$PATH"
machine_major="$(node -p 'process.versions.node.split(".")[0]')"
mkdir -p "$CACHE"
rows=()
failed=0
if [ $# -gt 0 ]; then versions=("$@"); else versions=("${PINNED_NODE_VERSIONS[@]}"); fi
for version in "${versions[@]}"; do
  [ "${version%%.*}" = "$machine_major" ] && continue
  rm -rf "$OUT/$version"
  mkdir -p "$OUT/$version"
  bin="$(node_bin_dir)" || { rows+=("v$version | not installed | | |"); failed=1; continue; }
  export PATH="$bin:$BASE_PATH"
  export FMNIST_RUNS_DIR="$OUT/$version/runs" FMNIST_TEST_TALLY="$OUT/$version/tally.jsonl"
  cells=()

  if check setup bash scripts/setup.sh && grep -q "is available on Node.js v$version" "$OUT/$version/setup.log" &&
    quiet "$OUT/$version/setup.log"; then
    cells+=("pass: native TensorFlow computes")
  else
    cells+=("FAIL: $(grep -m1 -i 'not\|error' "$OUT/$version/setup.log" | cut -c1-80)"); failed=1
  fi

  if check test-fast npm run --silent test:fast && quiet "$OUT/$version/test-fast.log"; then
    cells+=("pass: $(node tests/helpers/summarize-tests.mjs "$FMNIST_TEST_TALLY" | grep -o '[0-9]* passed.*')")
  else
    cells+=("FAIL: $(grep -Eo '^# fail [0-9]+' "$OUT/$version/test-fast.log" | tail -1) $(noise "$OUT/$version/test-fast.log")"); failed=1
  fi

  if check smoke-training env FMNIST_PROFILE=smoke TFJS_BACKEND=tensorflow npm run --silent train &&
    quiet "$OUT/$version/smoke-training.log"; then
    cells+=("pass: $(grep -o 'Final validation accuracy [0-9.]*' "$OUT/$version/smoke-training.log")")
  else
    cells+=("FAIL: $(tail -1 "$OUT/$version/smoke-training.log" | cut -c1-80) $(noise "$OUT/$version/smoke-training.log")"); failed=1
  fi

  start=$SECONDS
  if check smoke-notebooks env FMNIST_PROFILE=smoke bash scripts/run-notebooks.sh "$OUT/$version/notebooks" &&
    quiet "$OUT/$version/smoke-notebooks.log"; then
    cells+=("pass: 6 notebooks in $((SECONDS - start)) s")
  else
    cells+=("FAIL: $(grep -m1 'error\|Error' "$OUT/$version/smoke-notebooks.log" | cut -c1-80) $(noise "$OUT/$version/smoke-notebooks.log")"); failed=1
  fi
  rows+=("v$version | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]}")
done

{
  echo ""
  echo "Node.js | set-up | npm run test:fast | native smoke training | smoke notebooks (tslab)"
  echo "$(node --version) (the machine's) | the rest of npm test ran on it | | |"
  printf '%s\n' "${rows[@]}"
} >&2
exit "$failed"
