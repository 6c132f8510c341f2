#!/usr/bin/env bash
# Hostile-input corpus (issue 9): broken files, links, numbers and concurrent runs thrown at the real CLI.
# Every case must end with its expected exit code (0 processed, 1 input error, 2 usage error, 3 missing input; README), never an unhandled
# exception, and where images are skipped, skipped.csv must say why. Prints one line per case; exits 1 if any case fails.
#   tests/hostile/run_corpus.sh [path/to/Replication.Cli.dll]     (builds the CLI in Release when no path is given)
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CLI="${1:-$ROOT/src/Replication.Cli/bin/Release/net10.0/Replication.Cli.dll}"
[ -f "$CLI" ] || dotnet build "$ROOT/src/Replication.Cli" -c Release >/dev/null || exit 1
FIX="$ROOT/tests/Replication.Tests/fixtures"
W="$(mktemp -d /tmp/hostile-corpus.XXXXXX)"; chmod 755 "$W"
trap 'chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"' EXIT
export NO_COLOR=1
failed=0; total=0

# run NAME "EXPECTED EXITS" [--skipped-says TEXT --out DIR] -- command...
run() {
  local name="$1" expect="$2"; shift 2
  local says="" outdir=""
  while [ "$1" != "--" ]; do case "$1" in --skipped-says) says="$2"; shift 2;; --out) outdir="$2"; shift 2;; esac; done; shift
  total=$((total + 1))
  local err="$W/stderr.$total"
  case "$1" in # the CLI as this user, or as 'nobody' when running as root (root ignores file modes)
    cli) shift; set -- dotnet "$CLI" "$@";;
    nobody) shift; if [ "$(id -u)" = 0 ]; then set -- setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$W" DOTNET_CLI_HOME="$W" dotnet "$CLI" "$@"; else set -- dotnet "$CLI" "$@"; fi;;
  esac
  timeout 300 "$@" >"$W/stdout.$total" 2>"$err"; local rc=$?
  local verdict=ok
  case " $expect " in *" $rc "*) ;; *) verdict="FAIL (exit $rc, expected $expect)";; esac
  if grep -q "Unhandled exception" "$err"; then verdict="FAIL (unhandled exception)"; fi
  if grep -q "^internal error" "$err"; then verdict="FAIL (internal error)"; fi
  if [ -n "$says" ] && ! grep -q -- "$says" "$outdir/skipped.csv" 2>/dev/null; then verdict="FAIL (skipped.csv lacks '$says')"; fi
  [ "$verdict" = ok ] || failed=$((failed + 1))
  printf '%-44s exit %-3s %-6s %s\n' "$name" "$rc" "$verdict" "$(head -c 150 "$err" | head -n 1)"
}
images() { local d="$W/$1"; mkdir -p "$d"; cp "$FIX/preprocessing/camera.png" "$d/a.png"; cp "$FIX/preprocessing/chelsea.png" "$d/c.png"; echo "$d"; }
npy() { # npy FILE DICT DATA_BYTES: a format-1.0 file with a hand-written header
  local dict="$2"; while [ $(( (${#dict} + 11) % 64 )) -ne 0 ]; do dict="$dict "; done
  { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $(( (${#dict} + 1) & 255 )))\\x$(printf %02x $(( (${#dict} + 1) >> 8 )))"; printf '%s\n' "$dict"; head -c "$3" /dev/zero; } > "$1"
}

# ---- images and folders ----
d=$(images dangling); ln -s "$W/nowhere.png" "$d/b.png"
run "image: dangling symlink" "0" --skipped-says FileNotFoundException --out "$W/o1" -- cli embed --model pixels --images "$d" --out "$W/o1"
d=$(images unreadable); cp "$FIX/preprocessing/horse.png" "$d/b.png"; chmod 000 "$d/b.png"; chmod 777 "$d"; mkdir -m 777 "$W/o2p"
run "image: no read permission (as nobody)" "0" --skipped-says UnauthorizedAccessException --out "$W/o2p/o" -- nobody embed --model pixels --images "$d" --out "$W/o2p/o"
d=$(images corruptjpeg); python3 - "$FIX/preprocessing/rocket.jpg" "$d/b.jpg" <<'PY'
import sys; b = bytearray(open(sys.argv[1], 'rb').read())
for at, v in [(2, 0x00), (23, 0xE7), (366, 0xD3), (413, 0x7F), (462, 0xD6), (532, 0x46)]: b[at] = v
open(sys.argv[2], 'wb').write(b)
PY
run "image: JPEG crashing ImageSharp Identify" "0" --skipped-says NullReferenceException --out "$W/o3" -- cli embed --model pixels --images "$d" --out "$W/o3"
d=$(images zero); : > "$d/b.png"; printf 'not a jpeg' > "$d/t.jpg"; head -c 3000 "$FIX/preprocessing/horse.png" > "$d/u.png"
run "image: empty, text and truncated files" "0" --skipped-says empty --out "$W/o4" -- cli embed --model pixels --images "$d" --out "$W/o4"
d=$(images truncated); for f in "$FIX"/truncated/*-cut.*; do case "$f" in *.pil.png) ;; *) cp "$f" "$d/";; esac; done
run "image: truncated PNG, GIF, WebP, TIFF, BMP, JPEG" "0" --skipped-says "truncated TIFF" --out "$W/o4t" -- cli embed --model pixels --images "$d" --out "$W/o4t"
run "image: the same with --accept-truncated" "0" --skipped-says "refused even with --accept-truncated" --out "$W/o4a" -- cli embed --model pixels --images "$d" --out "$W/o4a" --accept-truncated
d=$(images loop); mkdir "$d/sub"; ln -s .. "$d/sub/loop"
run "folder: symlink loop" "0" --skipped-says loop --out "$W/o5" -- cli embed --model pixels --images "$d" --out "$W/o5"
o=$(images outside-target); d=$(images outside); ln -s "$o/a.png" "$d/b.png"; ln -s /etc "$d/etc"
run "folder: links out of the folder" "0" --skipped-says "outside the input folder" --out "$W/o6" -- cli embed --model pixels --images "$d" --out "$W/o6"
run "folder: --follow-symlinks" "0" -- cli embed --model pixels --images "$d" --out "$W/o6f" --follow-symlinks
d=$(images nonutf8); cp "$d/a.png" "$d/$(printf 'f\xff.png')"
run "folder: non-UTF-8 name" "0" --skipped-says "66ff2e706e67" --out "$W/o7" -- cli embed --model pixels --images "$d" --out "$W/o7"
d=$(images locked); mkdir "$d/locked"; cp "$d/a.png" "$d/locked/"; chmod 000 "$d/locked"; chmod 777 "$d"; mkdir -m 777 "$W/o8p"
run "folder: unreadable subfolder (as nobody)" "0" --skipped-says "cannot list folder" --out "$W/o8p/o" -- nobody embed --model pixels --images "$d" --out "$W/o8p/o"
d=$(images linkedroot); ln -s "$d" "$W/linked"
run "folder: the input folder is a symlink" "0" -- cli embed --model pixels --images "$W/linked" --out "$W/o9"

# ---- .npy ----
g="$FIX/npy/float32_7x5.npy"
for c in "neg:(-1, 5)" "overflow:(99999999999999999999, 5)" "wraps:(4611686018427387904, 4)" "3d:(2, 2, 5)" "cols:(2, 9999999999)"; do
  npy "$W/${c%%:*}.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': ${c#*:}, }" 80
  run "npy: shape ${c#*:}" "1" -- cli search --queries "$W/${c%%:*}.npy" --gallery "$g" --k 2 --out "$W/m.csv"
done
head -c 100 "$g" > "$W/trunc.npy"
run "npy: truncated" "1" -- cli search --queries "$W/trunc.npy" --gallery "$g" --k 2 --out "$W/m.csv"
python3 - "$g" "$W/nan.npy" <<'PY'
import sys, struct; b = bytearray(open(sys.argv[1], 'rb').read()); off = len(b) - 7 * 5 * 4
b[off + 3 * 20: off + 3 * 20 + 4] = struct.pack('<f', float('nan')); open(sys.argv[2], 'wb').write(b)
PY
run "npy: NaN gallery row (left out, named)" "0" -- cli search --queries "$g" --gallery "$W/nan.npy" --k 2 --out "$W/m.csv"
run "npy: NaN gallery row with --strict" "1" -- cli search --queries "$g" --gallery "$W/nan.npy" --k 2 --out "$W/m.csv" --strict

# ---- evaluate ----
printf 'query,rank,gallery,score\n0,0,1,0.9\n' > "$W/ok.csv"; printf '[{"query": 0, "ok": [1], "junk": []}]' > "$W/ok.json"
n=0; for gt in '[null]' '[{"query": 99999999999, "ok": [], "junk": []}]' '[{"ok": [1], "junk": []}]' '[{"query": -1, "ok": [1], "junk": []}]' '{"query": 0}' '[]'; do
  n=$((n + 1)); printf '%s' "$gt" > "$W/gt$n.json"; run "evaluate: gt $gt" "1" -- cli evaluate --matches "$W/ok.csv" --ground-truth "$W/gt$n.json"; done
n=0; for m in 'query,rank,gallery,score\n0,0,1,"0,9"\n' 'query,rank,gallery,score\n' 'query,rank,gallery,score\n0,0,1,0.9\n0,0,2,0.8\n' 'query,rank,gallery,score\n-1,0,1,0.9\n' 'query,rank,gallery,score\n99999999999,0,1,0.9\n'; do
  n=$((n + 1)); printf "$m" > "$W/m$n.csv"; run "evaluate: matches $(printf "$m" | tail -n +2 | head -n 1)" "1" -- cli evaluate --matches "$W/m$n.csv" --ground-truth "$W/ok.json"; done

# ---- model cards ----
for c in 'input:null' 'output:null' 'size:30000'; do
  mkdir -p "$W/card-${c%%:*}"; cp "$FIX/models/tiny-vit.onnx" "$W/card-${c%%:*}/"
  python3 - "$FIX/models/tiny-vit.json" "$W/card-${c%%:*}/card.json" "${c%%:*}" "${c#*:}" <<'PY'
import json, sys; card = json.load(open(sys.argv[1])); key, value = sys.argv[3], json.loads(sys.argv[4])
(card['input'] if key == 'size' else card)[key] = value; json.dump(card, open(sys.argv[2], 'w'))
PY
  run "card: $c" "1" -- cli embed --model "$W/card-${c%%:*}/card.json" --images "$(images cardimgs)" --out "$W/oc"
done
printf '{ not json' > "$W/card-bad.json"
run "card: not JSON" "1" -- cli embed --model "$W/card-bad.json" --images "$W/cardimgs" --out "$W/oc"

# ---- numbers ----
run "search --k 2147483647 (clamped)" "0" -- cli search --queries "$g" --gallery "$g" --k 2147483647 --out "$W/m.csv"
run "embed --batch 2147483647" "2" -- cli embed --model pixels --images "$W/cardimgs" --out "$W/on" --batch 2147483647
run "embed --chunk 2147483647" "2" -- cli embed --model pixels --images "$W/cardimgs" --out "$W/on" --chunk 2147483647
run "scan --threshold NaN" "2" -- cli scan --generated "$W/cardimgs" --training "$W/cardimgs" --model pixels --out "$W/os" --threshold NaN

# ---- command line (every option checked before any image is read) ----
run "unknown option" "2" -- cli embed --model pixels --images "$W/cardimgs" --out "$W/ou" --bogus 1
run "--gallery-rows -1" "2" -- cli scan --generated "$W/cardimgs" --training "$W/cardimgs" --model pixels --out "$W/ou" --gallery-rows -1
run "--images that does not exist" "3" -- cli embed --model pixels --images "$W/no-such-folder" --out "$W/ou"

# ---- resume ----
mkdir -p "$W/olock"; sleep 600 & holder=$!
printf '{"host":"%s","pid":%d,"started":"%s"}' "$(hostname)" "$holder" "$(date -u -d "@$(stat -c %Y /proc/$holder)" +%Y-%m-%dT%H:%M:%S.0000000Z)" > "$W/olock/.lock"
run "embed into an output another run holds" "1" -- cli embed --model pixels --images "$W/cardimgs" --out "$W/olock"
kill "$holder"

# ---- webdataset shards (embed --shards): entry names never name a file we write ----
mkdir -p "$W/wds"
/usr/bin/python3 - "$W/wds/00000.tar" "$FIX/preprocessing/camera.png" <<'PY'
import io, sys, tarfile
out, png = sys.argv[1], open(sys.argv[2], "rb").read()
def add(t, name, data):
    info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    add(t, "good.png", png); add(t, "good.txt", b"a camera")
    add(t, "../../escape.png", png); add(t, "/tmp/hostile-absolute.png", png)
    add(t, "noimage.txt", b"a caption alone"); add(t, "latin1.png", png); add(t, "latin1.txt", b"caf\xe9")
    add(t, "corrupt.png", b"\x89PNG not really")
    link = tarfile.TarInfo("link.png"); link.type = tarfile.SYMTYPE; link.linkname = "/etc/passwd"; t.addfile(link)
PY
echo "PAR1 not parquet" > "$W/wds/00000.parquet"
run "shard: ../.., absolute, link, no image" "0" --skipped-says "climbs out" --out "$W/wstore/shards/00000" -- cli embed --model pixels --shards "$W/wds" --out "$W/wstore"
[ ! -e "$W/escape.png" ] && [ ! -e "$W/wstore/../escape.png" ] && [ ! -e /tmp/hostile-absolute.png ] || { echo "FAIL: a tar entry named a file"; failed=$((failed + 1)); }
mkdir -p "$W/wdscut"; head -c 150000 "$W/wds/00000.tar" > "$W/wdscut/00000.tar"
run "shard: truncated tar" "0" --skipped-says "truncated or corrupt tar" --out "$W/wcut/shards/00000" -- cli embed --model pixels --shards "$W/wdscut" --out "$W/wcut"
printf '00000.tar\n./00000.tar\n' > "$W/wds/twice.txt"
run "shard listed twice" "1" -- cli embed --model pixels --shards "$W/wds/twice.txt" --out "$W/wtwice"
run "--shard 3/2" "2" -- cli embed --model pixels --shards "$W/wds" --out "$W/wsel" --shard 3/2
run "pack into a folder that holds shards" "1" -- cli pack --images "$W/cardimgs" --out "$W/wds"

echo "$total cases, $failed failed"
[ "$failed" -eq 0 ]
