"""The copy detector's image pool: redistributable images available offline, split into training and held-out parts.

    pool.py build --out RUN/pool [--heldout-fraction 0.3]
    pool.py calibration --out copy-detector-r18/calibration.csv [--count 3000 --seed 0 --min-std 8 --per-folder 60]

Sources (each recorded with its Debian package and licence in pool.csv):
  * openclipart-png: /usr/share/openclipart/png, 8,121 PNGs, Creative Commons Public Domain Dedication;
  * fonts-noto-color-emoji: every single-code-point emoji the font draws, rendered with Pillow at size 109
    (`embedded_color=True`) onto transparency, SIL Open Font License 1.1.
Images are grouped by near-duplication (identical bytes, or 16×16 grey thumbnails correlating above 0.95 with a group's
first image: leader clustering, no chains), whole groups go to one part, and a training image that still matches a held-out
one above 0.95 is excluded, so no held-out image has a near-twin among the training images. Held out, whatever the hash
says: every image of the demo (data/demo-sources/PROVENANCE.csv), every image a committed manifest under data/ or a test
fixture names, and a seeded 30% of the remaining groups. Unreadable images are listed in unreadable.csv and left out.
Writes pool.csv (path, source, license, group, split), unreadable.csv, pool.json (counts, settings) last.
"""
from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import os
import re
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CLIPART = "/usr/share/openclipart/png"
EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
CLIPART_LICENSE = "public domain (Creative Commons Public Domain Dedication), Debian openclipart-png"
EMOJI_LICENSE = "SIL Open Font License 1.1, Debian fonts-noto-color-emoji (Noto Color Emoji)"


def need(path: str, package: str) -> None:
    if not os.path.exists(path):
        sys.exit(f"error: {path} is missing: install the Debian package {package} (apt-get install {package})")


def render_emoji(out_dir: str) -> list[str]:
    """Every code point in the emoji blocks that the font draws (a glyph with colour), as 136×128 RGBA PNGs."""
    need(EMOJI_FONT, "fonts-noto-color-emoji")
    os.makedirs(out_dir, exist_ok=True)
    font = ImageFont.truetype(EMOJI_FONT, 109)
    ranges = [(0x1F300, 0x1F5FF), (0x1F600, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF),
              (0x2600, 0x26FF), (0x2700, 0x27BF)]
    paths = []
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            path = os.path.join(out_dir, f"u{cp:05x}.png")
            if os.path.exists(path):
                paths.append(path)
                continue
            try:
                if font.getmask(ch).getbbox() is None:
                    continue
            except Exception:
                continue
            im = Image.new("RGBA", (136, 128), (0, 0, 0, 0))
            ImageDraw.Draw(im).text((0, 0), ch, font=font, embedded_color=True)
            bbox = im.getbbox()
            a = np.asarray(im)
            if bbox is None or a[..., 3].max() == 0 or (a[..., :3].std() < 1.0):
                continue  # not drawn, or a box/blank
            im.crop(bbox).save(path + ".tmp.png")
            os.replace(path + ".tmp.png", path)
            paths.append(path)
    return paths


def thumbnail(path: str) -> np.ndarray:
    with Image.open(path) as im:
        im.load()
        if im.mode in ("RGBA", "LA", "P"):
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, im)
        g = im.convert("L").resize((16, 16), Image.BILINEAR)
    v = np.asarray(g, np.float32).ravel()
    v = v - v.mean()
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def referenced_elsewhere() -> set[str]:
    """Absolute paths of openclipart images that the demo, committed manifests under data/ or tests name."""
    names = set()
    prov = os.path.join(REPO, "data", "demo-sources", "PROVENANCE.csv")
    if os.path.exists(prov):
        for row in csv.DictReader(open(prov, encoding="utf-8")):
            m = re.match(r"openclipart-png (.+)$", row.get("source", ""))
            if m:
                names.add(os.path.join(CLIPART, m.group(1)))
    pattern = re.compile(r"/usr/share/openclipart/png/[^,\"'\s]+\.png")
    for root in (os.path.join(REPO, "data"), os.path.join(REPO, "tests")):
        for dirpath, _, files in os.walk(root):
            if "/bin" in dirpath or "/obj" in dirpath:
                continue
            for f in files:
                if f.endswith((".csv", ".json", ".txt", ".cs", ".py")):
                    try:
                        text = open(os.path.join(dirpath, f), encoding="utf-8", errors="replace").read()
                    except OSError:
                        continue
                    names.update(pattern.findall(text))
    return names



def build(out: str, heldout_fraction: float, seed: int) -> None:
    need(CLIPART, "openclipart-png")
    os.makedirs(out, exist_ok=True)
    items = [(p, "openclipart-png", CLIPART_LICENSE) for p in sorted(glob.glob(os.path.join(CLIPART, "**", "*.png"), recursive=True))]
    items += [(p, "fonts-noto-color-emoji", EMOJI_LICENSE) for p in render_emoji(os.path.join(out, "emoji"))]
    thumbs, kept, unreadable, digests = [], [], [], []
    for i, (p, src, lic) in enumerate(items):
        try:
            t = thumbnail(p)
            digests.append(hashlib.sha256(open(p, "rb").read()).hexdigest())
        except Exception as e:  # one bad image never aborts the build
            unreadable.append((p, f"{type(e).__name__}: {e}"))
            continue
        thumbs.append(t)
        kept.append((p, src, lic))
        if (i + 1) % 1000 == 0:
            print(f"progress {i + 1}/{len(items)} read", flush=True)
    T = np.stack(thumbs)
    # Leader clustering (no chains): each image joins the first earlier leader it matches (identical bytes, or thumbnail
    # correlation above 0.95); otherwise it leads a group of its own.
    leader_of = [0] * len(kept)
    leaders: list[int] = []
    first = {}
    for i, d in enumerate(digests):
        if d in first:
            leader_of[i] = leader_of[first[d]]
            continue
        first[d] = i
        if leaders:
            sims = T[leaders] @ T[i]
            j = int(np.argmax(sims))
            if sims[j] > 0.95:
                leader_of[i] = leaders[j]
                continue
        leaders.append(i)
        leader_of[i] = i
    forced = referenced_elsewhere()
    forced_roots = {leader_of[i] for i, (p, _, _) in enumerate(kept) if p in forced}
    split_of = []
    for i, (p, _, _) in enumerate(kept):
        root = leader_of[i]
        key = hashlib.sha256(f"{seed}:{kept[root][0]}".encode()).digest()
        u = int.from_bytes(key[:8], "big") / 2 ** 64
        split_of.append("heldout" if (root in forced_roots or u < heldout_fraction) else "train")
    # No held-out image may have a near-twin in training: a training image that matches any held-out one is left out.
    held = np.array([s == "heldout" for s in split_of])
    H = T[held]
    for i in range(len(kept)):
        if split_of[i] == "train" and (H @ T[i]).max(initial=-1.0) > 0.95:
            split_of[i] = "excluded"
    rows = []
    for i, (p, src, lic) in enumerate(kept):
        rows.append((p, src, lic, leader_of[i], split_of[i]))
    with open(os.path.join(out, "pool.csv.tmp"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "source", "license", "group", "split"])
        w.writerows(rows)
    os.replace(os.path.join(out, "pool.csv.tmp"), os.path.join(out, "pool.csv"))
    with open(os.path.join(out, "unreadable.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "reason"])
        w.writerows(unreadable)
    counts = {}
    for _, src, _, _, split in rows:
        counts[f"{src}/{split}"] = counts.get(f"{src}/{split}", 0) + 1
    info = dict(images=len(rows), groups=len(set(leader_of)), unreadable=len(unreadable), counts=counts,
                heldout_fraction=heldout_fraction, seed=seed, forced_heldout=len([p for p in forced if os.path.exists(p)]),
                near_duplicate_threshold=0.95)
    with open(os.path.join(out, "pool.json.tmp"), "w") as f:
        json.dump(info, f, indent=2)
    os.replace(os.path.join(out, "pool.json.tmp"), os.path.join(out, "pool.json"))
    for u in unreadable:
        print(f"unreadable: {u[0]}: {u[1]}", file=sys.stderr)
    print(json.dumps(info, indent=2))


def flattened_std(path: str) -> float:
    """Grey-level standard deviation (0-255) of the image composited onto white, at 64 px: near 0 for blank drawings."""
    with Image.open(path) as im:
        im.load()
        im = im.convert("RGBA")
        im.thumbnail((64, 64))
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        bg.alpha_composite(im)
        return float(np.asarray(bg.convert("L"), np.float64).std())


def family(item: str) -> str:
    return "/".join(os.path.dirname(item).split("/")[:2])


def calibration_set(split: str, out: str, count: int, seed: int, min_std: float, per_folder: int) -> None:
    """A manifest (path, id, label) of held-out clip art for `replication calibrate`, where a pair counts as unrelated when
    the two images share none of their label's ';'-separated groups. An image's groups are its near-duplicate group
    (split.csv) and its openclipart family, the first two levels of its folder: openclipart keeps systematically varied
    drawings in one folder (shapes/stars holds hundreds of stars that differ by a point or two) and style variants of one
    set in sibling folders (recreation/games/cards/simple and .../white draw the same cards), which are not unrelated. Left out: the folder
    unsorted/duplicates (its name says what it holds), near-blank drawings (grey std below min_std on white: identical to
    each other whatever they showed), images that the demo, a committed manifest under data/ or a test names (so that no
    evaluation image calibrates the threshold), and images beyond per_folder from one folder (so that no family dominates)."""
    rows = [r for r in csv.DictReader(open(split, encoding="utf-8")) if r["split"] == "heldout" and r["source"] == "openclipart-png"]
    forced = referenced_elsewhere()
    candidates = []
    for r in rows:
        path = os.path.join(CLIPART, r["item"])
        if path in forced or not os.path.exists(path) or r["item"].startswith("unsorted/duplicates/"):
            continue
        candidates.append((path, r["item"], r["group"]))
    rng = np.random.default_rng(seed)
    chosen, blank, per = [], 0, {}
    for k in rng.permutation(len(candidates)):
        path, item, group = candidates[k]
        folder = os.path.dirname(item)
        if per.get(folder, 0) >= per_folder:
            continue
        try:
            if flattened_std(path) < min_std:
                blank += 1
                continue
        except Exception as e:  # one bad image never aborts the build
            print(f"unreadable: {path}: {type(e).__name__}: {e}", file=sys.stderr)
            continue
        per[folder] = per.get(folder, 0) + 1
        chosen.append((path, item, group))
        if len(chosen) >= count:
            break
    chosen.sort(key=lambda c: c[1])
    tmp = out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "id", "label"])
        for path, item, group in chosen:
            w.writerow([path, item, f"family:{family(item)};near-duplicates:{group}"])
    os.replace(tmp, out)
    print(f"{len(chosen)} images from {len(per)} folders ({blank} near-blank left out, {len(forced)} images named elsewhere "
          f"excluded, at most {per_folder} per folder) -> {out}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", required=True)
    b.add_argument("--heldout-fraction", type=float, default=0.3)
    b.add_argument("--seed", type=int, default=0)
    c = sub.add_parser("calibration", help="the unrelated-pair calibration manifest for `replication calibrate`")
    c.add_argument("--split", default=os.path.join(HERE, "copy-detector-r18", "split.csv"))
    c.add_argument("--out", required=True)
    c.add_argument("--count", type=int, default=3000)
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--min-std", type=float, default=8.0)
    c.add_argument("--per-folder", type=int, default=60)
    a = ap.parse_args(argv)
    if a.cmd == "calibration":
        if a.count < 2:
            sys.exit("error: --count must be at least 2")
        calibration_set(a.split, a.out, a.count, a.seed, a.min_std, a.per_folder)
        return
    if not 0 <= a.heldout_fraction < 1:
        sys.exit("error: --heldout-fraction must be in [0, 1)")
    build(a.out, a.heldout_fraction, a.seed)


if __name__ == "__main__":
    main()
