#!/usr/bin/env python3
"""The glyph domain: letters and digits rendered from the fonts of pinned Debian packages, as 32×32 grey images.

    /usr/bin/python3 data/glyphs/make_glyphs.py --out DIR [--size 32]

Each character of A–Z, a–z and 0–9 is drawn from every font file (.ttf, .otf) the packages below install, black on white,
antialiased (drawn at 8× and reduced with a box filter), scaled so that its ink box fills 26 px on its longer side, and
centred: one image per (font, character), `DIR/<character class>/<font file stem>.png`. A character the font lacks (its
drawing equals the font's .notdef box, or no ink) is left out; fonts that map letters to symbols (dingbats, symbol and math
fonts) are left out by name. Byte-identical images (the same design shipped twice) are kept once.
Writes DIR/manifest.csv (path, label, font, package, license; paths relative to DIR), DIR/fonts.csv (each font file, its
package and licence, and why it was left out if it was), and DIR/glyphs.json (counts) last.
Needs Pillow and the packages; a missing package is named with the apt-get line that installs it.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import string
import subprocess
import sys

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
except ImportError as e:
    sys.exit(f"error: {e.name} is missing: apt-get install python3-pil python3-numpy")

# package → licence, as the package's debian/copyright states it
PACKAGES = {
    "fonts-dejavu-core": "Bitstream Vera licence + public domain changes (DejaVu)",
    "fonts-liberation2": "SIL OFL 1.1",
    "fonts-urw-base35": "AGPL-3 with font exception",
    "fonts-texgyre": "GUST Font License (LPPL)",
    "fonts-lmodern": "GUST Font License (LPPL)",
    "fonts-freefont-ttf": "GPL-3+ with font exception",
    "fonts-crosextra-carlito": "SIL OFL 1.1",
    "fonts-crosextra-caladea": "Apache-2.0",
    "fonts-cantarell": "SIL OFL 1.1",
    "fonts-open-sans": "Apache-2.0",
    "fonts-roboto-unhinted": "Apache-2.0",
    "fonts-inconsolata": "SIL OFL 1.1",
    "fonts-hack": "MIT (Hack) + Bitstream Vera licence",
    "fonts-firacode": "SIL OFL 1.1",
    "fonts-sil-gentiumplus": "SIL OFL 1.1",
    "fonts-sil-charis": "SIL OFL 1.1",
    "fonts-sil-andika": "SIL OFL 1.1",
    "fonts-sil-doulos": "SIL OFL 1.1",
    "fonts-junicode": "SIL OFL 1.1",
    "fonts-linuxlibertine": "GPL-2 with font exception or SIL OFL 1.1",
    "fonts-comfortaa": "SIL OFL 1.1",
    "fonts-dancingscript": "SIL OFL 1.1",
    "fonts-yanone-kaffeesatz": "SIL OFL 1.1",
    "fonts-breip": "SIL OFL 1.1",
    "fonts-humor-sans": "SIL OFL 1.1",
    "fonts-cabin": "SIL OFL 1.1",
    "fonts-go": "BSD-3-Clause",
    "fonts-quicksand": "SIL OFL 1.1",
    "fonts-paratype": "ParaType Free Font License",
    "fonts-stix": "SIL OFL 1.1",
    "fonts-oldstandard": "SIL OFL 1.1",
    "fonts-roboto-slab": "Apache-2.0",
    "fonts-adf-accanthis": "GPL-2+ with font exception",
    "fonts-adf-gillius": "GPL-2+ with font exception",
    "fonts-adf-universalis": "GPL-2+ with font exception",
    "fonts-adf-baskervald": "GPL-2+ with font exception",
    "fonts-adf-berenis": "GPL-2+ with font exception",
    "fonts-adf-ikarius": "GPL-2+ with font exception",
    "fonts-adf-libris": "GPL-2+ with font exception",
    "fonts-adf-mekanus": "GPL-2+ with font exception",
    "fonts-adf-oldania": "GPL-2+ with font exception",
    "fonts-adf-romande": "GPL-2+ with font exception",
    "fonts-adf-switzera": "GPL-2+ with font exception",
    "fonts-adf-tribun": "GPL-2+ with font exception",
    "fonts-adf-verana": "GPL-2+ with font exception",
    "fonts-jura": "SIL OFL 1.1",
    "fonts-league-spartan": "SIL OFL 1.1",
    "fonts-jetbrains-mono": "SIL OFL 1.1",
    "fonts-mononoki": "SIL OFL 1.1",
    "fonts-fantasque-sans": "SIL OFL 1.1",
    "fonts-blankenburg": "SIL OFL 1.1",
    "fonts-beteckna": "GPL-2+ with font exception",
    "fonts-dkg-handwriting": "SIL OFL 1.1",
    "fonts-femkeklaver": "GPL-2 with font exception",
    "fonts-ecolier-court": "OFL-like (Ecolier court licence, free)",
    "fonts-f500": "GPL-2+",
    "fonts-bebas-neue": "SIL OFL 1.1",
    "fonts-lobster": "SIL OFL 1.1",
    "fonts-lobstertwo": "SIL OFL 1.1",
    "fonts-oflb-euterpe": "SIL OFL 1.1",
    "fonts-gfs-didot": "SIL OFL 1.1",
    "fonts-ebgaramond": "SIL OFL 1.1",
    "fonts-cmu": "SIL OFL 1.1",
}
SKIP_WORDS = ("symbol", "dingbat", "d050000l", "math", "emoji", "icon", "ornament", "cmex", "stixsize", "stixvar",
              "stixint", "stixnonuni", "stixgeneral-", "zapf")
CHARACTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits


def class_name(ch: str) -> str:
    return f"upper-{ch}" if ch.isupper() else (f"lower-{ch}" if ch.islower() else f"digit-{ch}")


def package_files(package: str) -> list[str]:
    r = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    if r.returncode != 0:
        return []
    return sorted(p for p in r.stdout.splitlines() if p.lower().endswith((".ttf", ".otf")) and os.path.isfile(p))


def draw(font: ImageFont.FreeTypeFont, ch: str) -> Image.Image | None:
    big = 8 * 64
    canvas = Image.new("L", (big * 2, big * 2), 0)
    ImageDraw.Draw(canvas).text((big // 2, big // 2), ch, font=font, fill=255)
    box = canvas.getbbox()
    if box is None:
        return None
    return canvas.crop(box)


def place(ink: Image.Image, size: int) -> Image.Image:
    """Scale the ink box to 26/32 of `size` on its longer side (drawn 8× larger, reduced with a box filter), centred."""
    target = round(size * 26 / 32)
    w, h = ink.size
    f = target * 8 / max(w, h)
    scaled = ink.resize((max(1, round(w * f)), max(1, round(h * f))), Image.BOX)
    big = Image.new("L", (size * 8, size * 8), 0)
    big.paste(scaled, ((size * 8 - scaled.width) // 2, (size * 8 - scaled.height) // 2))
    small = big.resize((size, size), Image.BOX)
    return Image.eval(small, lambda v: 255 - v)  # black ink on white


def build(out: str, size: int) -> None:
    missing = [p for p in PACKAGES if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if missing:
        sys.exit("error: the glyph domain needs these Debian packages: apt-get install " + " ".join(missing))
    os.makedirs(out, exist_ok=True)
    fonts_rows, rows, seen, stems = [], [], {}, set()
    for package, licence in PACKAGES.items():
        for path in package_files(package):
            stem = os.path.splitext(os.path.basename(path))[0]
            if (package, stem) in stems:  # the same font shipped as .ttf and .otf, or in two folders
                fonts_rows.append((path, package, licence, "left out: another file of this package has this name"))
                continue
            stems.add((package, stem))
            if any(w in stem.lower() for w in SKIP_WORDS):
                fonts_rows.append((path, package, licence, "left out: a symbol, math or ornament font"))
                continue
            try:
                font = ImageFont.truetype(path, 8 * 64)
                notdef = draw(font, "\ue000")
                notdef_bytes = None if notdef is None else notdef.tobytes()
            except Exception as e:
                fonts_rows.append((path, package, licence, f"left out: unreadable ({type(e).__name__})"))
                continue
            drawn = 0
            for ch in CHARACTERS:
                ink = draw(font, ch)
                if ink is None or (notdef_bytes is not None and ink.tobytes() == notdef_bytes):
                    continue
                im = place(ink, size)
                data = im.tobytes()
                digest = hashlib.sha256(data).hexdigest()
                if digest in seen:
                    continue
                seen[digest] = path
                rel = os.path.join(class_name(ch), f"{package}--{stem}.png")
                os.makedirs(os.path.join(out, class_name(ch)), exist_ok=True)
                im.save(os.path.join(out, rel))
                rows.append((rel, class_name(ch), stem, package, licence))
                drawn += 1
            fonts_rows.append((path, package, licence, f"{drawn} glyphs" if drawn else "left out: no Latin letters"))
    with open(os.path.join(out, "manifest.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "label", "font", "package", "license"])
        w.writerows(rows)
    with open(os.path.join(out, "fonts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["font_file", "package", "license", "outcome"])
        w.writerows(fonts_rows)
    per_class = {}
    for r in rows:
        per_class[r[1]] = per_class.get(r[1], 0) + 1
    info = dict(images=len(rows), fonts=sum(1 for r in fonts_rows if r[3].endswith("glyphs")), size=size,
                packages=len(PACKAGES), per_class=per_class)
    with open(os.path.join(out, "glyphs.json.tmp"), "w") as f:
        json.dump(info, f, indent=2)
    os.replace(os.path.join(out, "glyphs.json.tmp"), os.path.join(out, "glyphs.json"))
    print(f"{len(rows)} glyph images from {info['fonts']} fonts in {out}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=32)
    a = ap.parse_args()
    if not 8 <= a.size <= 256:
        sys.exit("error: --size must be in 8..256")
    build(a.out, a.size)
