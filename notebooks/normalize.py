#!/usr/bin/env python3
"""Makes executed notebooks fit to commit: every cell gets a stable id (nbformat 4.5; nbconvert warns without them), and
machine paths in outputs become portable: the checkout's location is dropped (paths become repository-relative), the home
folder (e.g. the NuGet cache the kernel names when it loads package extensions) becomes "~", the temp folder "$TMPDIR/".

usage: /usr/bin/python3 notebooks/normalize.py notebooks/*.ipynb   (rewrites the files in place; standard library only)
"""
import hashlib, json, os, sys

HOME = os.path.expanduser("~")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMP = os.path.join(__import__("tempfile").gettempdir(), "")


def scrub(value):
    if isinstance(value, str):
        return value.replace(ROOT + "/", "").replace(HOME + "/", "~/").replace(TEMP, "$TMPDIR/")
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def normalize(path):
    nb = json.load(open(path, encoding="utf-8"))
    nb["nbformat"], nb["nbformat_minor"] = 4, max(5, nb.get("nbformat_minor", 0))
    seen = set()
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell.get("source", []))
        cid = hashlib.sha1(f"{i}:{source}".encode()).hexdigest()[:12]
        while cid in seen:
            cid = hashlib.sha1(cid.encode()).hexdigest()[:12]
        seen.add(cid)
        cell["id"] = cid
        if "outputs" in cell:
            cell["outputs"] = scrub(cell["outputs"])
    with open(path, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        normalize(p)
        print("normalized", p)
