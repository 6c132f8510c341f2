#!/usr/bin/env bash
# Trains the class-conditional denoiser of notebooks/03-per-class-study (10 openclipart categories × 48 images, data/per-class,
# label dropout 0.1 for classifier-free guidance) and exports it to models/per-class/ddpm-clipart-classes. Rerun to resume.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" ../ddpm/train_ddpm.py train --preset clipart-classes --conditional --label-dropout 0.1 \
    --data ../../data/per-class/classes10x48-480.csv --run runs/clipart-classes --threads "${THREADS:-1}"
"$PYTHON" ../ddpm/train_ddpm.py export --run runs/clipart-classes --out ddpm-clipart-classes --name ddpm-clipart-classes
