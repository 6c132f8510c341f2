#!/usr/bin/env python3
"""How separable the per-class study's classes are on real images: the share of held-out capitals whose nearest training image
(Pearson correlation of the 32×32 grey pixels, no augmentation) is of their own class, and the same leave-one-out within the
training set; the ceiling a generated image's own-class rate can be read against (models/per-class/README.md).

    /usr/bin/python3 models/per-class/real_own_class.py [--training data/glyphs/classes-upper.csv] [--heldout data/glyphs/heldout-upper.csv]
Needs NumPy and Pillow."""
import argparse
import csv
import os

import numpy as np
from PIL import Image


def load(manifest):
    base = os.path.dirname(os.path.abspath(manifest))
    rows = list(csv.DictReader(open(manifest, newline="", encoding="utf-8")))
    x = np.stack([np.asarray(Image.open(os.path.join(base, r["path"])).convert("L"), dtype=np.float64).ravel() for r in rows])
    x -= x.mean(1, keepdims=True)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    return x, np.array([r["label"] for r in rows])


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--training", default=os.path.join(root, "data", "glyphs", "classes-upper.csv"))
    ap.add_argument("--heldout", default=os.path.join(root, "data", "glyphs", "heldout-upper.csv"))
    a = ap.parse_args()
    xt, yt = load(a.training)
    xh, yh = load(a.heldout)
    held = float((yt[(xh @ xt.T).argmax(1)] == yh).mean())
    self_sim = xt @ xt.T
    np.fill_diagonal(self_sim, -np.inf)
    loo = float((yt[self_sim.argmax(1)] == yt).mean())
    classes = len(set(yt))
    print(f"{len(yt)} training and {len(yh)} held-out images, {classes} classes")
    print(f"held-out → training own-class rate: {held:.3f}")
    print(f"training leave-one-out own-class rate: {loo:.3f}")


if __name__ == "__main__":
    main()
