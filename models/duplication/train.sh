#!/usr/bin/env bash
# Trains the unconditional denoiser of the duplication study (notebooks/04-stable-diffusion-case-study) on
# data/glyphs/duplicated-4096.csv (subset-4096 with 16 images each repeated 4, 16 and 64 times) and exports it to
# models/duplication/ddpm-glyphs-duplicated. Rerun to resume. THREADS (default 1) and PYTHON (default /usr/bin/python3) as in
# models/sweep/train.sh.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" ../ddpm/train_ddpm.py train --preset glyphs-duplicated --data ../../data/glyphs/duplicated-4096.csv \
    --run runs/glyphs-duplicated --threads "${THREADS:-1}"
"$PYTHON" ../ddpm/train_ddpm.py export --run runs/glyphs-duplicated --out ddpm-glyphs-duplicated --name ddpm-glyphs-duplicated
