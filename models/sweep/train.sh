#!/usr/bin/env bash
# Trains the denoisers of notebooks/02-training-size-sweep one after another; rerun to resume (each run continues from
# models/sweep/runs/DOMAIN-N/checkpoint.pt), then exports each to models/sweep/ddpm-DOMAIN-N.
# DOMAIN: glyphs (default; data/glyphs/subset-N.csv) or clipart (the earlier sweep; data/sweep/subsets/subset-N.csv).
# SIZES: the training sizes (default: every size of the domain). SEED (default 0) and RUN_SUFFIX (default empty, e.g. -seed1)
# train a second seed beside the first. THREADS (default 1) sets PyTorch's threads; PYTHON (default /usr/bin/python3) the interpreter.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
DOMAIN=${DOMAIN:-glyphs}
case "$DOMAIN" in
  glyphs)  DATA=../../data/glyphs;         DEFAULT_SIZES="16 64 256 1024 4096" ;;
  clipart) DATA=../../data/sweep/subsets;  DEFAULT_SIZES="32 256 1024" ;;
  *) echo "DOMAIN must be glyphs or clipart, not '$DOMAIN'" >&2; exit 64 ;;
esac
for n in ${SIZES:-$DEFAULT_SIZES}; do
  run=runs/$DOMAIN-$n${RUN_SUFFIX:-}
  "$PYTHON" ../ddpm/train_ddpm.py train --preset "$DOMAIN-$n" --data "$DATA/subset-$n.csv" --run "$run" \
      --seed "${SEED:-0}" --threads "${THREADS:-1}"
  "$PYTHON" ../ddpm/train_ddpm.py export --run "$run" --out "ddpm-$DOMAIN-$n${RUN_SUFFIX:-}" --name "ddpm-$DOMAIN-$n${RUN_SUFFIX:-}"
done
