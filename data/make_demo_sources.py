#!/usr/bin/env python3
"""Builds data/demo-sources/: the small, redistributable image set the `demo` command plants replicas from.

Sources (Debian packages; install with `apt-get install openclipart-png python3-skimage python3-pil`):
  * openclipart-png: public-domain clip art (Creative Commons Public Domain Dedication), PNG with alpha.
  * python3-skimage sample photos that skimage's own docs mark public domain or CC0.
Images are shrunk so that the longer side is at most 192 px and written as PNG (clip art keeps its alpha).
The output is deterministic: the same package versions give the same files.
"""
import hashlib, os, sys
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo-sources")
CLIPART = "/usr/share/openclipart/png"
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
# name -> licence statement in skimage/data/_fetchers.py
PHOTOS = {
    "astronaut.png": "public domain (NASA)",
    "chelsea.png": "CC0 (Stefan van der Walt)",
    "coffee.png": "CC0 (Rachel Michetti)",
    "camera.png": "CC0 (Lav Varshney)",
    "rocket.jpg": "public domain (SpaceX)",
    "hubble_deep_field.jpg": "public domain (NASA)",
    "retina.jpg": "CC0 1.0",
    "brick.png": "CC0 (CC0Textures)",
    "grass.png": "CC0 (CC0Textures)",
    "gravel.png": "CC0 (CC0Textures)",
    "horse.png": "CC0 (Andreas Preuss)",
}
CATEGORIES = ["animals", "food", "transportation", "plants", "buildings", "tools", "electronics", "recreation"]
PER_CATEGORY = 6      # the first demo's picks, kept
EXTRA_SPREADS = (12, 18)  # more spreads, so that the demo's training set passes 100 images (calibrated thresholds need them)
MAX_SIDE = 192


def shrink(im):
    scale = MAX_SIDE / max(im.size)
    if scale < 1:
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.BICUBIC)
    return im


def signature(im):
    """A 16×16 grayscale thumbnail on white, unit-normalised after centring: near-identical images have cosine ≈ 1."""
    flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
    flat.alpha_composite(im)
    v = [p / 255.0 for p in flat.convert("L").resize((16, 16), Image.BILINEAR).getdata()]
    mean = sum(v) / len(v)
    v = [x - mean for x in v]
    norm = sum(x * x for x in v) ** 0.5 or 1.0
    return [x / norm for x in v]


def main():
    os.makedirs(os.path.join(OUT, "clipart"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "photos"), exist_ok=True)
    rows = ["path,category,source,license"]
    # openclipart holds the same drawing under several names and categories: keep the first of near-identical picks,
    # so that the demo's training set has no duplicates of its own (they would decide its self-similarity baseline)
    kept = []
    for cat in CATEGORIES:
        folder = os.path.join(CLIPART, cat)
        files = sorted(f for f in os.listdir(folder) if f.endswith(".png"))
        # spread the picks over the category deterministically
        picks = sorted({files[int(i * len(files) / PER_CATEGORY)] for i in range(PER_CATEGORY)}
                       | {files[int(i * len(files) / n)] for n in EXTRA_SPREADS for i in range(n)})
        for f in picks:
            im = Image.open(os.path.join(folder, f)).convert("RGBA")
            sig = signature(im)
            if any(sum(a * b for a, b in zip(sig, k)) > 0.97 for k in kept):
                continue
            kept.append(sig)
            name = f"clipart/{cat}-{os.path.splitext(f)[0][:40]}.png"
            shrink(im).save(os.path.join(OUT, name), optimize=True)
            rows.append(f"{name},{cat},openclipart-png {cat}/{f},public domain (CC Public Domain Dedication)")
    for f, lic in PHOTOS.items():
        im = Image.open(os.path.join(SKIMAGE, f))
        im = im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB")
        name = f"photos/{os.path.splitext(f)[0]}.png"
        shrink(im).save(os.path.join(OUT, name), optimize=True)
        rows.append(f"{name},photo,python3-skimage data/{f},{lic}")
    with open(os.path.join(OUT, "PROVENANCE.csv"), "w") as fh:
        fh.write("\n".join(rows) + "\n")
    print(f"wrote {len(rows) - 1} images to {OUT}")


if __name__ == "__main__":
    sys.exit(main())
