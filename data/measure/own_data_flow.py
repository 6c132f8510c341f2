#!/usr/bin/env python3
"""The first-run-on-your-own-data flow, as a new user would try it: raw openclipart PNGs (with alpha, as shipped by Debian's
`openclipart-png`) as the training set; "generated" images made of seeded edits of training images (centre crop to 80%,
mirror, saturation ×1.6, resize to 2/3, alpha kept) and unrelated openclipart images. With --pool (the copy detector's
pool.csv), every image is one the detector never saw, and an unrelated image shares no near-duplicate group and no
openclipart family (the first two folder levels) with any training image, nor with another unrelated image. With --size N
(for instance 32), every image is stored as a small DDPM sees it (on white, shorter side to N, centre crop N×N) and the edits
are the ones such a model reproduces: mirror and 7/8 centre crop, made on the full image before shrinking.

  /usr/bin/python3 data/measure/own_data_flow.py build WORK [--training 300 --edited 20 --unrelated 20 --seed 1 --pool pool.csv --size 32]
  replication scan --generated WORK/generated --training WORK/training --out WORK/scan
  /usr/bin/python3 data/measure/own_data_flow.py score WORK WORK/scan

score prints how many edited copies have their source as top-1 match, and how many generations' top-1 match is a
near-constant image (listed in the scan's warnings.csv).
"""
import csv, os, random, shutil, sys
from PIL import Image, ImageEnhance, ImageOps

CLIPART = "/usr/share/openclipart/png"
EDITS = ["crop80", "mirror", "saturation1.6", "resize2/3"]
SMALL_EDITS = ["mirror", "crop7/8"]  # what a small DDPM trained with flips and 7/8 crops reproduces


def shrink(im, side):
    """As a small DDPM sees an image: composited onto white, the shorter side resized to `side` (area filter), centre-cropped."""
    flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
    flat.alpha_composite(im.convert("RGBA"))
    im = flat.convert("RGB")
    scale = side / min(im.size)
    im = im.resize((max(side, round(im.width * scale)), max(side, round(im.height * scale))), Image.BOX)
    left, top = (im.width - side) // 2, (im.height - side) // 2
    return im.crop((left, top, left + side, top + side))


def edit(im, kind):
    w, h = im.size
    if kind == "crop80":
        cw, ch = max(1, round(w * 0.8)), max(1, round(h * 0.8))
        return im.crop(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch))
    if kind == "mirror":
        return ImageOps.mirror(im)
    if kind == "crop7/8":
        cw, ch = max(1, round(w * 7 / 8)), max(1, round(h * 7 / 8))
        return im.crop(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch))
    if kind == "saturation1.6":
        rgb = ImageEnhance.Color(im.convert("RGB")).enhance(1.6)
        rgb.putalpha(im.getchannel("A"))
        return rgb
    return im.resize((max(1, round(w * 2 / 3)), max(1, round(h * 2 / 3))), Image.BICUBIC)


def build(work, n_train, n_edit, n_unrelated, seed, pool=None, size=0):
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(CLIPART) for f in fs if f.endswith(".png"))
    if pool:  # only images the copy detector never saw (models/copy-detector/pool.py: split=heldout)
        held = {r["path"] for r in csv.DictReader(open(pool, encoding="utf-8")) if r["split"] == "heldout"}
        files = [f for f in files if f in held]
    rng = random.Random(seed)
    rng.shuffle(files)
    small = []
    for f in files:  # keep files of moderate size so the flow stays quick
        if os.path.getsize(f) < 200_000:
            small.append(f)
        if len(small) >= n_train + n_unrelated:
            break
    if len(small) < n_train + n_unrelated:
        sys.exit(f"error: only {len(small)} images under 200 kB; the flow needs {n_train + n_unrelated}")
    train, unrelated = small[:n_train], small[n_train:]
    if pool:
        # "unrelated" means it: no unrelated image shares a near-duplicate group (pool.csv) or an openclipart family (the first
        # two folder levels, as the copy detector's calibration set defines them) with any training image
        group = {r["path"]: r["group"] for r in csv.DictReader(open(pool, encoding="utf-8"))}
        family = lambda f: "/".join(os.path.relpath(os.path.dirname(f), CLIPART).split("/")[:2])
        taken = {group[f] for f in train} | {family(f) for f in train}
        unrelated = []
        for f in files:
            if f in train or os.path.getsize(f) >= 200_000 or group[f] in taken or family(f) in taken:
                continue
            unrelated.append(f)
            taken |= {group[f], family(f)}
            if len(unrelated) >= n_unrelated:
                break
    for d in ("training", "generated"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    def put(src, dst, im=None):  # the file as it is, or (with --size) as a small DDPM sees it
        if size:
            shrink(im if im is not None else Image.open(src), size).save(dst)
        elif im is not None:
            im.save(dst)
        else:
            shutil.copy(src, dst)
    edits = SMALL_EDITS if size else EDITS
    for i, f in enumerate(train):
        put(f, os.path.join(work, "training", f"t{i:04d}.png"))
    rows = [("generated", "kind", "source")]
    for i in range(n_edit):
        j = rng.randrange(len(train))
        kind = edits[i % len(edits)]
        im = Image.open(train[j]).convert("RGBA")
        put(None, os.path.join(work, "generated", f"e{i:03d}.png"), edit(im, kind))
        rows.append((f"e{i:03d}.png", kind, f"t{j:04d}.png"))
    for i, f in enumerate(unrelated):
        put(f, os.path.join(work, "generated", f"u{i:03d}.png"))
        rows.append((f"u{i:03d}.png", "unrelated", ""))
    with open(os.path.join(work, "truth.csv"), "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    print(f"{len(train)} training, {n_edit} edited, {len(unrelated)} unrelated")


def score(work, scan):
    truth = {r["generated"]: r for r in csv.DictReader(open(os.path.join(work, "truth.csv")))}
    warned = set()
    for side in ("generated", "training"):
        p = os.path.join(scan, side, "warnings.csv")
        if os.path.exists(p):
            warned |= {os.path.basename(r["path"]) for r in csv.DictReader(open(p))}
    top = {}
    for r in csv.DictReader(open(os.path.join(scan, "matches.csv"))):
        if r["rank"] == "0":
            top[os.path.basename(r["query_id"])] = (float(r["score"]), os.path.basename(r["match_id"]))
    edited = [g for g in top if truth[g]["kind"] != "unrelated"]
    found = [g for g in edited if top[g][1] == truth[g]["source"]]
    print(f"edited copies with their source as top-1: {len(found)}/{len(edited)}")
    for g in edited:
        if g not in found:
            print(f"  missed {g} ({truth[g]['kind']}): top-1 {top[g][1]} at {top[g][0]:.3f}")
    flat = [g for g, (s, m) in top.items() if m in warned]
    print(f"generations whose top-1 match is a near-constant image: {len(flat)}; near-constant images: {len(warned)}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if not a or a[0] not in ("build", "score"):
        sys.exit(__doc__)
    if a[0] == "build":
        o = dict(zip(a[2::2], a[3::2]))
        build(a[1], int(o.get("--training", 300)), int(o.get("--edited", 20)), int(o.get("--unrelated", 20)), int(o.get("--seed", 1)), o.get("--pool"), int(o.get("--size", 0)))
    else:
        score(a[1], a[2])
