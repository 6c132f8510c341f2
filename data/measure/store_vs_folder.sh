#!/usr/bin/env bash
# Streaming embed of packed webdataset shards vs the same images in a folder, in one run, alternating (A B A B ...)
# so that load from other work on the machine falls on both alike. Prints images/s per run and the medians.
#   bash data/measure/store_vs_folder.sh [model] [rounds] [samples per shard] [copies of each demo image]
# Needs: dotnet build src/Replication.Cli -c Release; /usr/bin/python3 with PIL (the JPEG copy of the demo images).
set -euo pipefail
model=${1:-resnet18}
rounds=${2:-3}
per_shard=${3:-50}
copies=${4:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="dotnet $root/src/Replication.Cli/bin/Release/net10.0/Replication.Cli.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/png" "$work/jpg"
for c in $(seq "$copies"); do
  for f in "$root"/data/demo-sources/clipart/*.png; do cp "$f" "$work/png/c${c}_$(basename "$f")"; done
done
/usr/bin/python3 - "$work/png" "$work/jpg" <<'PY'
import sys, pathlib
from PIL import Image
src, dst = map(pathlib.Path, sys.argv[1:])
for p in sorted(src.glob("*.png")):
    im = Image.open(p)
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA"); bg = Image.new("RGB", im.size, "white"); bg.paste(im, mask=im.split()[3]); im = bg
    im.convert("RGB").save(dst / (p.stem + ".jpg"), quality=90)
PY
for kind in png jpg; do
  n=$(ls "$work/$kind" | wc -l)
  $cli pack --images "$work/$kind" --out "$work/$kind-shards" --samples-per-shard "$per_shard" >/dev/null
  folder=(); shards=()
  for r in $(seq "$rounds"); do
    rm -rf "$work/out-folder" "$work/out-store"
    s=$(date +%s.%N); $cli embed --model "$model" --images "$work/$kind" --out "$work/out-folder" >/dev/null 2>&1; e=$(date +%s.%N)
    folder+=("$(python3 -c "print(f'{$n/($e-$s):.1f}')")")
    s=$(date +%s.%N); $cli embed --model "$model" --shards "$work/$kind-shards" --out "$work/out-store" >/dev/null 2>&1; e=$(date +%s.%N)
    shards+=("$(python3 -c "print(f'{$n/($e-$s):.1f}')")")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  echo "$kind ($n images, $model, shards of $per_shard, whole command incl. start-up): folder ${folder[*]} img/s (median $(median "${folder[@]}")); shards ${shards[*]} img/s (median $(median "${shards[@]}"))"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
