#!/usr/bin/env python3
"""Measures replica detection of a scan at the paper's 0.5 and at the training-calibrated thresholds, on openclipart
(Debian `openclipart-png`, public domain), before and after centring/whitening. Not committed data: everything is
written under the work folder.

  /usr/bin/python3 data/measure/openclipart_calibration.py build WORK [--training 2500 --edited 200 --unrelated 200 --seed 0]
  dotnet run --project src/Replication.Cli -c Release -- scan --generated WORK/generated --training WORK/training --out WORK/scan-none
  /usr/bin/python3 data/measure/openclipart_calibration.py score WORK WORK/scan-none [...]

build: all openclipart PNGs, flattened onto white and shrunk to at most 128 px, blank ones (grayscale std < 2 of 255:
white drawings vanish on white) and near-duplicates dropped (16×16 grayscale
thumbnails with cosine > 0.97: openclipart holds the same drawing under several names); a seeded shuffle gives the
training set and held-out "unrelated" generations; edited copies of random training images (centre crop to 80%, mirror,
saturation ×1.6, resize to 2/3) are the planted replicas. truth.csv lists every generation and its source.
score: a generation is flagged when its top-1 score is strictly above the threshold; a flag is right when the generation is
an edited copy (its top-1 match is also checked to be its source).
"""
import csv, json, os, random, sys
import numpy as np
from PIL import Image, ImageEnhance, ImageOps

CLIPART = "/usr/share/openclipart/png"
EDITS = ["crop80", "mirror", "saturation1.6", "resize2/3"]


def load(path, side=128):
    im = Image.open(path).convert("RGBA")
    flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
    flat.alpha_composite(im)
    im = flat.convert("RGB")
    scale = side / max(im.size)
    if scale < 1:
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.BICUBIC)
    return im


def signature(im):
    v = np.asarray(im.convert("L").resize((16, 16), Image.BILINEAR), dtype=np.float64).ravel() / 255
    v -= v.mean()
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def edit(im, kind):
    w, h = im.size
    if kind == "crop80":
        cw, ch = max(1, round(w * 0.8)), max(1, round(h * 0.8))
        x, y = (w - cw) // 2, (h - ch) // 2
        return im.crop((x, y, x + cw, y + ch))
    if kind == "mirror":
        return ImageOps.mirror(im)
    if kind == "saturation1.6":
        return ImageEnhance.Color(im).enhance(1.6)
    return im.resize((max(1, round(w * 2 / 3)), max(1, round(h * 2 / 3))), Image.BICUBIC)


def build(work, n_train, n_edit, n_unrelated, seed):
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(CLIPART) for f in fs if f.endswith(".png"))
    rng = random.Random(seed)
    rng.shuffle(files)
    kept, sigs = [], []
    for f in files:
        try:
            im = load(f)
        except Exception as e:  # a few openclipart files may not decode
            print(f"skip {f}: {e}", file=sys.stderr)
            continue
        if np.asarray(im.convert("L"), dtype=np.float64).std() < 2:  # blank after flattening (white drawings on white)
            continue
        s = signature(im)
        if sigs and np.max(np.stack(sigs) @ s) > 0.97:
            continue
        kept.append((f, im))
        sigs.append(s)
        if len(kept) >= n_train + n_unrelated:
            break
    train, unrelated = kept[:n_train], kept[n_train:n_train + n_unrelated]
    for d in ("training", "generated"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    for i, (f, im) in enumerate(train):
        im.save(os.path.join(work, "training", f"t{i:05d}.png"))
    rows = [("generated", "kind", "source")]
    for i in range(n_edit):
        j = rng.randrange(len(train))
        kind = EDITS[i % len(EDITS)]
        name = f"e{i:04d}.png"
        edit(train[j][1], kind).save(os.path.join(work, "generated", name))
        rows.append((name, kind, f"t{j:05d}.png"))
    for i, (f, im) in enumerate(unrelated):
        name = f"u{i:04d}.png"
        im.save(os.path.join(work, "generated", name))
        rows.append((name, "unrelated", ""))
    with open(os.path.join(work, "truth.csv"), "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    print(f"{len(train)} training, {n_edit} edited copies, {len(unrelated)} unrelated (from {len(files)} files, near-duplicates dropped)")


def score(work, scans):
    truth = {r["generated"]: r for r in csv.DictReader(open(os.path.join(work, "truth.csv")))}
    for scan in scans:
        summary = json.load(open(os.path.join(scan, "summary.json")))
        top = {}
        for r in csv.DictReader(open(os.path.join(scan, "matches.csv"))):
            if r["rank"] == "0":
                top[os.path.basename(r["query_id"])] = (float(r["score"]), os.path.basename(r["match_id"]))
        thresholds = [("paper 0.5", 0.5)] + [(f"calibrated {c['training_exceedance']:.1%}", c["threshold"])
                                             for c in summary["calibrated_thresholds"] if c["estimable"]]
        found = sum(1 for g, (s, m) in top.items() if truth[g]["kind"] != "unrelated" and m == truth[g]["source"])
        edited = sum(1 for g in top if truth[g]["kind"] != "unrelated")
        print(f"{scan}: whitening {summary['whitening']}, top-1 is the source for {found}/{edited} edited copies")
        for name, t in thresholds:
            tp = sum(1 for g, (s, m) in top.items() if s > t and truth[g]["kind"] != "unrelated")
            fp = sum(1 for g, (s, m) in top.items() if s > t and truth[g]["kind"] == "unrelated")
            fn = edited - tp
            p = tp / (tp + fp) if tp + fp else float("nan")
            print(f"  {name} ({t:.3f}): precision {p:.3f}, recall {tp / edited:.3f} (TP {tp}, FP {fp}, FN {fn})")


if __name__ == "__main__":
    a = sys.argv[1:]
    if not a or a[0] not in ("build", "score"):
        sys.exit(__doc__)
    if a[0] == "build":
        opts = dict(zip(a[2::2], a[3::2]))
        build(a[1], int(opts.get("--training", 2500)), int(opts.get("--edited", 200)), int(opts.get("--unrelated", 200)), int(opts.get("--seed", 0)))
    else:
        score(a[1], a[2:])
