#!/usr/bin/env bash
# Trains the class-conditional denoiser of notebooks/03-per-class-study and exports it; rerun to resume (the run continues from
# runs/DOMAIN-classes/checkpoint.pt). Label dropout 0.1, so that classifier-free guidance works.
# DOMAIN: glyphs (default; the 26 capital letters of data/glyphs/subset-4096, data/glyphs/classes-upper.csv) or clipart (the
# earlier model: 10 openclipart categories × 48 images, data/per-class/classes10x48-480.csv).
# THREADS (default 1) sets PyTorch's threads; PYTHON (default /usr/bin/python3) the interpreter.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
DOMAIN=${DOMAIN:-glyphs}
case "$DOMAIN" in
  glyphs)  DATA=../../data/glyphs/classes-upper.csv ;;
  clipart) DATA=../../data/per-class/classes10x48-480.csv ;;
  *) echo "DOMAIN must be glyphs or clipart, not '$DOMAIN'" >&2; exit 64 ;;
esac
"$PYTHON" ../ddpm/train_ddpm.py train --preset "$DOMAIN-classes" --conditional --label-dropout 0.1 \
    --data "$DATA" --run "runs/$DOMAIN-classes" --threads "${THREADS:-1}"
"$PYTHON" ../ddpm/train_ddpm.py export --run "runs/$DOMAIN-classes" --out "ddpm-$DOMAIN-classes" --name "ddpm-$DOMAIN-classes"
