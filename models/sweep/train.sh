#!/usr/bin/env bash
# Trains the three CPU-scale denoisers of notebooks/02-training-size-sweep, one after another; rerun to resume
# (each run continues from models/sweep/runs/NAME/checkpoint.pt). Then exports each to models/sweep/ddpm-clipart-N.
# THREADS (default 1) sets PyTorch's threads; PYTHON (default /usr/bin/python3) the interpreter.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
for n in ${SIZES:-32 256 1024}; do
  "$PYTHON" ../ddpm/train_ddpm.py train --preset clipart-$n --data ../../data/sweep/subsets/subset-$n.csv \
      --run runs/clipart-$n --threads "${THREADS:-1}"
  "$PYTHON" ../ddpm/train_ddpm.py export --run runs/clipart-$n --out ddpm-clipart-$n --name ddpm-clipart-$n
done
