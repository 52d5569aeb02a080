#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: system packages, npm packages, the project's kernel.
# Fast when everything is in place already. Sourced by scripts/tutorial.sh and scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*" >&2; }

# Why each package: the dataset is read offline; python3-venv makes the project's Python environment (Jupyter,
# TensorFlow); canvas and tfjs-node's addon build from source (cairo/pango headers, fonts for drawing text).
APT_PACKAGES=(
  dataset-fashion-mnist
  build-essential python3 python3-venv pkg-config libcairo2-dev libpango1.0-dev libgif-dev libjpeg-dev librsvg2-dev
  fonts-dejavu-core
  # tests/evaluation/report.test.ts checks our classification report against scikit-learn's, run live by
  # Debian's Python (the scikit-learn its fixtures come from); without it that test is skipped.
  python3-sklearn
  # tests/notebooks/browser.test.ts opens the HTML exports and Plotly figures in a real browser (playwright-core
  # drives this one; it never downloads its own).
  chromium
)

missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    say "No apt here. Install by hand: Jupyter (pip install jupyterlab nbconvert), the cairo/pango"
    say "development headers that node-canvas needs (macOS: brew install pkg-config cairo pango libpng jpeg giflib librsvg),"
    say "and Fashion-MNIST is downloaded into data/fashion-mnist/ on first use. Continuing."
    return
  fi
  local missing
  missing="$(missing_apt_packages | tr '\n' ' ')"
  [ -z "${missing// }" ] && return
  if [ "$(id -u)" != 0 ]; then
    say "Missing Debian packages: $missing"
    say "Install them with: sudo apt-get install -y $missing   (continuing with what is available)"
    return
  fi
  say "Installing Debian packages: $missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_npm_packages() {
  local stamp="node_modules/.setup-lock-sha256" want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "Installing npm packages (npm ci; canvas may build from source, which takes a minute)"
  # @tensorflow/tfjs-node is optional: where its libtensorflow download fails, npm drops it and we fall back.
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# A project-local kernelspec (found through JUPYTER_PATH, so no global kernel is touched). It starts tslab
# from the project root, because tslab only compiles files below the folder it starts in and the
# notebooks import ../lib.
write_kernelspec() {
  local dir="$ROOT/.jupyter/kernels/fashion-mnist-tslab"
  mkdir -p "$dir"
  cat > "$dir/kernel.json.tmp" <<JSON
{
  "argv": ["bash", "$ROOT/scripts/tslab-kernel", "{connection_file}"],
  "display_name": "TypeScript (Fashion-MNIST tutorial)",
  "language": "typescript"
}
JSON
  mv "$dir/kernel.json.tmp" "$dir/kernel.json"
}

# The project-local Python environment (.venv): TensorFlow from PyPI, pinned with hashes in requirements.txt.
# Native TensorFlow.js links against its shared libraries; the Keras reference and the benchmark run on it.
VENV="$ROOT/.venv"
PYTHON="${FMNIST_PYTHON:-python3}"

ensure_python_env() {
  local stamp="$VENV/.setup-requirements-sha256" want
  want="$(sha256sum requirements.txt | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  if ! command -v "$PYTHON" >/dev/null; then
    say "No $PYTHON here: the Python environment (.venv) is not created. Install Python 3.10-3.13 (or set FMNIST_PYTHON)."
    return 1
  fi
  say "Installing the project's Python environment .venv from requirements.txt (TensorFlow, JupyterLab; about 1 GB from PyPI, every package checked by SHA-256)"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # --require-hashes: every package must match requirements.txt's digests; pip gives up on a stalled
  # connection after --timeout seconds and a few retries.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --timeout 60 --retries 3 \
    --require-hashes --no-deps -r requirements.txt || { say "pip could not install requirements.txt into .venv"; return 1; }
  echo "$want" > "$stamp"
}

TFJS_NODE="node_modules/@tensorflow/tfjs-node"

native_error() { node -e 'require("@tensorflow/tfjs-node")' 2>&1 >/dev/null | grep -m1 -E "Error|error" || true; }
native_loads() { node -e 'require("@tensorflow/tfjs-node")' >/dev/null 2>&1; }

# @tensorflow/tfjs-node's own install downloads libtensorflow and a prebuilt addon from Google's storage.
# Where that fails (npm then drops the optional package), build the same addon from its sources against
# TensorFlow's C library from the pinned PyPI wheel: the addon uses only TensorFlow's stable C and eager C
# APIs, which the wheel's libtensorflow_cc exports. Nothing here runs where tfjs-node's own install worked.
provision_native_tensorflow() {
  if native_loads; then say "Native TensorFlow (@tensorflow/tfjs-node) is available."; return 0; fi
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    say "Native TensorFlow is not available; building it from PyPI's TensorFlow is only set up for Linux x86-64."
    return 1
  fi
  [ -x "$VENV/bin/python" ] || return 1
  local version tf_dir tf_version addon gyp
  version="$(node -p 'require("./package.json").optionalDependencies["@tensorflow/tfjs-node"]')"
  if [ ! -f "$TFJS_NODE/binding.gyp" ]; then
    say "Installing @tensorflow/tfjs-node@$version without its download step"
    npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "@tensorflow/tfjs-node@$version" || return 1
  fi
  tf_dir="$("$VENV/bin/python" -c 'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("tensorflow").origin))')"
  tf_version="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("tensorflow-cpu"))')"
  say "Linking TensorFlow $tf_version's C library from .venv into $TFJS_NODE/deps"
  rm -rf "$TFJS_NODE/deps"
  mkdir -p "$TFJS_NODE/deps/lib"
  ln -s "$tf_dir/include" "$TFJS_NODE/deps/include"
  ln -s "$tf_dir/libtensorflow_cc.so.2" "$TFJS_NODE/deps/lib/libtensorflow_cc.so.2"
  ln -s "$tf_dir/libtensorflow_framework.so.2" "$TFJS_NODE/deps/lib/libtensorflow_framework.so.2"
  # binding.gyp links -ltensorflow -ltensorflow_framework; the addon then records the real sonames.
  ln -s libtensorflow_cc.so.2 "$TFJS_NODE/deps/lib/libtensorflow.so"
  ln -s libtensorflow_framework.so.2 "$TFJS_NODE/deps/lib/libtensorflow_framework.so"

  # The path tfjs-node loads its addon from (lib/napi-vN/tfjs_binding.node, N chosen by node-pre-gyp).
  addon="$(node -p 'require("@mapbox/node-pre-gyp").find(require.resolve("@tensorflow/tfjs-node/package.json"))')"
  gyp="${npm_config_node_gyp:-$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js}"
  local nodedir=()
  # Node's headers from the distribution's package, so node-gyp needs no download.
  [ -f /usr/include/node/node_api.h ] && nodedir=(--nodedir=/usr)
  say "Building the tfjs-node addon from source with node-gyp (about a minute)"
  (cd "$TFJS_NODE" && node "$gyp" rebuild "${nodedir[@]}" --loglevel=error \
    --module_name=tfjs_binding --module_path="$(dirname "$addon")" \
    --napi_build_version="$(basename "$(dirname "$addon")" | sed 's/^napi-v//')" >/dev/null) || {
    say "node-gyp could not build the tfjs-node addon (it needs a C++ compiler and make)"; return 1; }
  if native_loads; then
    say "Native TensorFlow (@tensorflow/tfjs-node) is available, built against TensorFlow from .venv."
  else
    say "The tfjs-node addon was built but does not load: $(native_error)"
    return 1
  fi
}

install_system_packages
install_npm_packages
write_kernelspec
ensure_python_env || say "Without .venv there is no Jupyter to run the notebooks with (see environment.md)."
if ! provision_native_tensorflow; then
  say "Native TensorFlow is not available here; the WebAssembly backend will be used (slower; see environment.md)."
fi
