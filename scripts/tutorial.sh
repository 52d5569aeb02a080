#!/usr/bin/env bash
# The main job (README): set up, then execute every tutorial notebook headlessly, saving outputs in place.
# FMNIST_PROFILE=full|quick|smoke chooses the run; the default is full with native TensorFlow, else quick.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
# The code cells marked // @save, as the reader left them, are what later notebooks import.
npx ts-node --transpile-only scripts/save-cells.ts
# The main job is an honest run: a finished run of the profile is trained again (an unfinished one resumes).
export FMNIST_RETRAIN="${FMNIST_RETRAIN:-1}"
bash scripts/run-notebooks.sh --in-place
