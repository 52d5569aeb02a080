#!/usr/bin/env bash
# npm run lab: set up, then start JupyterLab (from .venv) on the project root, on 127.0.0.1, with the
# project's TypeScript kernel. Extra arguments go to `jupyter lab` (e.g. --port 8890).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export JUPYTER_PATH="$ROOT/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

cat >&2 <<TEXT
[lab] Open the URL below (with its token) and start with notebooks/01-dataset.ipynb;
[lab] pick the kernel "TypeScript (Fashion-MNIST tutorial)" if asked.
[lab] Run profile: ${FMNIST_PROFILE:-not set, so full with native TensorFlow and quick on WebAssembly}.
[lab] The kernels inherit it from this server: stop it and run e.g. FMNIST_PROFILE=quick npm run lab to change it.
TEXT

# JupyterLab refuses to run as root unless told; CI and containers run as root.
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
exec "$ROOT/.venv/bin/jupyter" lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$ROOT" \
  --LabApp.default_url=/lab/tree/notebooks/01-dataset.ipynb "${root_flag[@]}" "$@"
