#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine: system packages, npm packages, the project's kernel.
# Fast when everything is in place already. Sourced by scripts/tutorial.sh and scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*" >&2; }

# Why each package: Jupyter runs the notebooks headlessly; the dataset is read offline; canvas has no
# prebuilt binary for every platform and builds against cairo/pango (fonts for drawing text).
APT_PACKAGES=(
  jupyter-nbconvert jupyter-client
  dataset-fashion-mnist
  build-essential python3 pkg-config libcairo2-dev libpango1.0-dev libgif-dev libjpeg-dev librsvg2-dev
  fonts-dejavu-core
  # tests/browser.test.ts opens the HTML exports and Plotly figures in a real browser (playwright-core
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

install_system_packages
install_npm_packages
write_kernelspec
if node -e 'require("@tensorflow/tfjs-node")' >/dev/null 2>&1; then
  say "Native TensorFlow (@tensorflow/tfjs-node) is available."
else
  say "Native TensorFlow is not available here; the WebAssembly backend will be used (slower; see environment.md)."
fi
