#!/usr/bin/env bash
# npm run lab: set up, then start JupyterLab (from .venv) on the project root, on 127.0.0.1, with the
# project's TypeScript kernel. Extra arguments go to `jupyter lab` (e.g. --port 8890).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export JUPYTER_PATH="$ROOT/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

cat >&2 <<TEXT
[lab] JupyterLab prints its URL below ("Or copy and paste one of these URLs"): open it, token included;
[lab] it starts with notebooks/01-dataset.ipynb. The notebooks use the kernel "TypeScript (Fashion-MNIST tutorial)".
[lab] Run profile: ${FMNIST_PROFILE:-not set, so full with native TensorFlow and quick on WebAssembly}.
[lab] The kernels inherit it from this server, and every notebook's first cell shows it. To change it, stop
[lab] JupyterLab (Ctrl+C twice) and start it with the profile, e.g. FMNIST_PROFILE=quick npm run lab.
TEXT

# JupyterLab refuses to run as root unless told; CI and containers run as root.
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
# Warnings only, so that the URL stands out (--ServerApp.log_level=INFO brings the rest back).
exec "$ROOT/.venv/bin/jupyter" lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$ROOT" \
  --LabApp.default_url=/lab/tree/notebooks/01-dataset.ipynb \
  --ServerApp.log_level=WARN --LabApp.log_level=WARN "${root_flag[@]}" "$@"
