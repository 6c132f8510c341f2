#!/usr/bin/env python3
"""Train a copy-detection descriptor with SSCD's recipe (Pizzi et al., CVPR 2022), adapted to two CPU cores, starting from the
built-in ImageNet ResNet-18's weights; export it to ONNX with a model card.

    train_copy_detector.py train  --pool RUN/pool/pool.csv --run RUN [--steps 2400 --batch 32 --size 160 --threads 1]
    train_copy_detector.py export --run RUN --out models/copy-detector/copy-detector-r18 [--size 224]
    train_copy_detector.py export --identity --out DIR      (the untrained conversion: GeM p=1 and an identity projection,
                                                            which must reproduce `--model resnet18`; tested in C#)
    train_copy_detector.py self-test

Model: the ResNet-18 trunk read from the NuGet package's ONNX file (onnx_resnet.py: BatchNorm folded into the convolutions,
so its statistics stay those of ImageNet), GeM pooling (p = 3), a linear projection 512 → 512 and L2 normalisation, as
SSCD's model (sscd/models/model.py). Stages 1–2 stay frozen by default (`--train-from 3`): CPU time goes to the last stages
and the head. Loss: SSCD's InfoNCE over two augmented views of each image (temperature 0.05), positives including mixed
images' sources (mixup/cutmix p 0.05, as `disc_mixup`), plus KoLeo differential-entropy regularisation (weight 30) on each
embedding's nearest negative (sscd/train.py). Augmentations: augment.py. Optimiser: AdamW with linear warm-up and cosine
decay (SSCD uses LARS at batch 4,096 on GPUs; at batch 32 AdamW is the stable choice: ours).

Resuming: `train` continues from RUN/checkpoint.pt after any interruption (written to a temporary file and renamed). Every
random draw of step s comes from generators seeded by (seed, s, view), so an interrupted and resumed run takes the same
steps as an uninterrupted one. Progress lines `progress STEP/TOTAL loss=… steps/s=…`.
Runs unchanged on `--device cuda` where PyTorch has CUDA.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from PIL import Image
    from torch import nn
except ImportError as e:
    sys.exit(f"error: {e.name} is missing: install PyTorch ≥ 1.13, NumPy and Pillow "
             "(Debian 12: apt-get install python3-torch python3-numpy python3-pil python3-onnx libopenblas0-pthread)")

import augment  # noqa: E402
import onnx_resnet  # noqa: E402

Image.MAX_IMAGE_PIXELS = 700_000_000
DEFAULTS = dict(steps=2400, batch=32, size=160, lr=2e-4, head_lr=2e-3, weight_decay=1e-6, warmup=100, temperature=0.05,
                entropy_weight=30.0, mixup_p=0.05, gem_p=3.0, dim=512, train_from=3, seed=0, checkpoint_every=25,
                preload_side=256)


def fail(message: str) -> None:
    sys.exit(f"error: {message}")


class GeM(nn.Module):
    def __init__(self, p: float):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.p == 1:
            return x.mean(dim=(2, 3))
        return x.clamp(min=1e-6).pow(self.p).mean(dim=(2, 3)).pow(1.0 / self.p)


class Descriptor(nn.Module):
    """RGB in [0, 255] minus the per-channel mean → trunk → GeM → linear → L2-normalised embedding."""

    def __init__(self, trunk, gem_p: float, dim: int, identity: bool = False, mean_image=None):
        super().__init__()
        self.trunk = trunk
        # the conversion check only: RGB in [0, 255] minus the package's own mean image, exactly as `--model resnet18`
        self.mean_image = None if mean_image is None else nn.Parameter(mean_image, requires_grad=False)
        self.pool = GeM(gem_p)
        self.proj = nn.Linear(512, dim)
        with torch.no_grad():
            if identity:
                self.proj.weight.copy_(torch.eye(dim, 512))
                self.proj.bias.zero_()
            else:
                g = torch.Generator().manual_seed(1234)
                bound = math.sqrt(6.0 / (512 + dim))  # Xavier uniform, as SSCD initialises its fc
                self.proj.weight.copy_(torch.rand(dim, 512, generator=g) * 2 * bound - bound)
                self.proj.bias.zero_()
        self.normalise = not identity

    def forward(self, x):
        if self.mean_image is not None:
            x = x - self.mean_image
        y = self.proj(self.pool(self.trunk.features(x)))
        return F.normalize(y, dim=1) if self.normalise else y


def build_model(settings: dict, identity: bool = False) -> Descriptor:
    trunk = onnx_resnet.from_onnx()
    mean_image = torch.from_numpy(onnx_resnet.mean_image_rgb()) if identity else None
    model = Descriptor(trunk, 1.0 if identity else settings["gem_p"], settings["dim"], identity, mean_image)
    for i, step in enumerate(trunk.steps):
        for p in step.parameters():
            p.requires_grad = trunk.stage_of(i) >= settings["train_from"]
    return model


# ---------------------------------------------------------------- data

def read_pool(path: str, split: str) -> list[dict]:
    if not os.path.isfile(path):
        fail(f"pool manifest not found: {path} (make it with models/copy-detector/pool.py build)")
    rows = [r for r in csv.DictReader(open(path, encoding="utf-8")) if r.get("split") == split]
    if not rows:
        fail(f"{path} has no rows with split={split}")
    return rows


def preload(rows: list[dict], side: int, cache: str | None = None) -> tuple[list[Image.Image], list[str]]:
    """Each image shrunk to at most `side` pixels (alpha kept); with `cache`, the shrunk copies are kept there as PNGs
    (named by the source path's hash) so that a resumed run does not decode the large originals again."""
    images, skipped = [], []
    if cache:
        os.makedirs(cache, exist_ok=True)
    for i, r in enumerate(rows):
        cached = os.path.join(cache, hashlib.sha256(f"{side}:{r['path']}".encode()).hexdigest()[:24] + ".png") if cache else None
        try:
            if cached and os.path.exists(cached):
                with Image.open(cached) as im:
                    im.load()
                    images.append(im.copy())
                continue
            with Image.open(r["path"]) as im:
                im.load()
                im = im.convert("RGBA") if (im.mode in ("RGBA", "LA", "P") or "transparency" in im.info) else im.convert("RGB")
                im.thumbnail((side, side), Image.BILINEAR)
                images.append(im.copy())
            if cached:
                images[-1].save(cached + ".tmp.png")
                os.replace(cached + ".tmp.png", cached)
        except Exception as e:  # one bad image never aborts training
            skipped.append(f"{r['path']}: {type(e).__name__}: {e}")
        if (i + 1) % 1000 == 0:
            print(f"loading {i + 1}/{len(rows)}", flush=True)
    return images, skipped


def view_seed(seed: int, step: int, j: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}/{step}/{j}".encode()).digest()[:8], "big")


MEAN = None


def to_tensor(im: Image.Image) -> torch.Tensor:
    a = torch.from_numpy(np.asarray(im.convert("RGB"), dtype=np.float32).copy()).permute(2, 0, 1)
    return a - torch.tensor(MEAN, dtype=torch.float32).view(3, 1, 1)


class StepBatches(torch.utils.data.Dataset):
    """Item s = the two augmented views of step s's images: a pure function of (seed, s)."""

    def __init__(self, images, emoji, settings, start: int):
        self.images, self.emoji, self.s, self.start = images, emoji, settings, start

    def __len__(self):
        return self.s["steps"] - self.start

    def __getitem__(self, k):
        step = self.start + k
        s = self.s
        pick = random.Random(view_seed(s["seed"], step, -1)).sample(range(len(self.images)), s["batch"])
        views = []
        for copy in range(2):
            for j, idx in enumerate(pick):
                rng = random.Random(view_seed(s["seed"], step, copy * s["batch"] + j))
                backgrounds = [self.images[rng.randrange(len(self.images))]]
                views.append(to_tensor(augment.copy_view(self.images[idx], s["size"], rng, self.emoji, backgrounds)))
        return step, torch.stack(views)


# ---------------------------------------------------------------- loss (sscd/train.py)

def mixup(x: torch.Tensor, step: int, settings: dict):
    """With probability mixup_p: elementwise pairing i ↔ M−1−i, mixup (λ ~ Beta(2, 2)) or cutmix (box of area 1−λ),
    half each, as SSCD's contrastive mixup; returns images and an M×M target matrix (instance weights)."""
    m = x.shape[0]
    n = m // 2
    targets = torch.zeros(m, n)
    targets[torch.arange(m), torch.arange(m) % n] = 1
    g = torch.Generator().manual_seed(view_seed(settings["seed"], step, -2) % (2 ** 63))
    if torch.rand(1, generator=g).item() >= settings["mixup_p"]:
        return x, targets
    lam = float(np.random.default_rng(view_seed(settings["seed"], step, -3)).beta(2.0, 2.0))
    flipped = x.flip(0)
    if torch.rand(1, generator=g).item() < 0.5:
        mixed = lam * x + (1 - lam) * flipped
    else:
        h, w = x.shape[2], x.shape[3]
        rng = np.random.default_rng(view_seed(settings["seed"], step, -4))
        cut = math.sqrt(1 - lam)
        ch, cw = int(h * cut), int(w * cut)
        cy, cx = rng.integers(h), rng.integers(w)
        y0, y1 = max(cy - ch // 2, 0), min(cy + ch // 2, h)
        x0, x1 = max(cx - cw // 2, 0), min(cx + cw // 2, w)
        mixed = x.clone()
        mixed[:, :, y0:y1, x0:x1] = flipped[:, :, y0:y1, x0:x1]
        lam = 1 - (y1 - y0) * (x1 - x0) / (h * w)  # corrected λ
    targets = lam * targets + (1 - lam) * targets.flip(0)
    return mixed, targets


def sscd_loss(emb: torch.Tensor, targets: torch.Tensor, temperature: float, entropy_weight: float):
    sim = emb @ emb.t()
    match = (targets @ targets.t()) > 0
    identity = torch.eye(emb.shape[0], dtype=torch.bool)
    non_match = ~match
    nontrivial = match & ~identity
    small = torch.tensor(-100.0)
    max_non_match, _ = torch.where(non_match, sim, small).max(dim=1, keepdim=True)
    logits = (sim / temperature).exp()
    partitions = logits + ((non_match * logits).sum(dim=1) + 1e-6).unsqueeze(1)
    prob = logits / partitions
    infonce = ((-prob.log() * nontrivial).sum(dim=1) / nontrivial.sum(dim=1).clamp(min=1)).mean()
    closest = (2 - 2 * max_non_match).clamp(min=1e-6).sqrt()
    entropy = -closest.log().mean() * entropy_weight
    with torch.no_grad():
        stats = dict(pos=float((sim * nontrivial).sum() / nontrivial.sum()),
                     neg=float((sim * non_match).sum() / non_match.sum()),
                     nearest_neg=float(max_non_match.mean()))
    return infonce + entropy, float(infonce), float(entropy), stats


def learning_rate(step: int, settings: dict, base: float) -> float:
    if step < settings["warmup"]:
        return base * (step + 1) / settings["warmup"]
    t = (step - settings["warmup"]) / max(1, settings["steps"] - settings["warmup"])
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


def weights_digest(model) -> str:
    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()[:16]


def atomic_save(obj, path: str) -> None:
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def train(a) -> None:
    global MEAN
    run = a.run
    os.makedirs(run, exist_ok=True)
    settings_path = os.path.join(run, "settings.json")
    settings = dict(DEFAULTS)
    for k in DEFAULTS:
        v = getattr(a, k, None)
        if v is not None:
            settings[k] = v
    settings["pool"] = os.path.abspath(a.pool)
    if os.path.exists(settings_path):
        old = json.load(open(settings_path))
        diff = {k: (old.get(k), settings[k]) for k in settings if k != "checkpoint_every" and old.get(k) != settings[k]}
        if diff:
            fail(f"{run} was started with other settings ({diff}); use another --run or the same options")
    else:
        with open(settings_path + ".tmp", "w") as f:
            json.dump(settings, f, indent=2)
        os.replace(settings_path + ".tmp", settings_path)
    torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    MEAN = onnx_resnet.bgr_mean()
    rows = read_pool(settings["pool"], "train")
    emoji_rows = [r for r in rows if r["source"] == "fonts-noto-color-emoji"]
    print(f"pool: {len(rows)} training images ({len(emoji_rows)} emoji)", flush=True)
    images, skipped = preload(rows, settings["preload_side"], os.path.join(run, "cache"))
    for s in skipped:
        print("skipped: " + s, file=sys.stderr, flush=True)
    with open(os.path.join(run, "skipped.txt"), "w") as f:
        f.write("\n".join(skipped) + ("\n" if skipped else ""))
    emoji_images, _ = preload(emoji_rows[:400], 128, os.path.join(run, "cache"))
    model = build_model(settings).to(device)
    head = list(model.proj.parameters())
    trunk = [p for p in model.trunk.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([dict(params=trunk, lr=settings["lr"]), dict(params=head, lr=settings["head_lr"])],
                            weight_decay=settings["weight_decay"])
    start = 0
    ckpt = os.path.join(run, "checkpoint.pt")
    log_path = os.path.join(run, "log.csv")
    if os.path.exists(ckpt):
        state = torch.load(ckpt, map_location=device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        start = state["step"]
        print(f"resumed at step {start} (weights {weights_digest(model)})", flush=True)
    # the log keeps exactly the steps the checkpoint holds
    lines = open(log_path).read().splitlines() if os.path.exists(log_path) else []
    lines = lines[:1] + [l for l in lines[1:] if int(l.split(",")[0]) < start]
    with open(log_path, "w") as f:
        f.write("\n".join(lines or ["step,loss,infonce,entropy,pos,neg,nearest_neg,lr,seconds"]) + "\n")
    if start >= settings["steps"]:
        print(f"done: {start} steps (weights {weights_digest(model)})")
        return
    data = StepBatches(images, emoji_images, settings, start)
    loader = torch.utils.data.DataLoader(data, batch_size=None, shuffle=False, num_workers=a.workers,
                                         prefetch_factor=2 if a.workers else None, persistent_workers=False)
    model.train()
    t0 = time.time()
    last = t0
    with open(log_path, "a") as log:
        for step, views in loader:
            views = views.to(device)
            x, targets = mixup(views, step, settings)
            for g, base in zip(opt.param_groups, (settings["lr"], settings["head_lr"])):
                g["lr"] = learning_rate(step, settings, base)
            emb = model(x)
            loss, infonce, entropy, stats = sscd_loss(emb.cpu() if device.type != "cpu" else emb, targets,
                                                      settings["temperature"], settings["entropy_weight"])
            if not math.isfinite(float(loss)):
                fail(f"loss is not finite at step {step}; the checkpoint of step {start} is kept")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            now = time.time()
            log.write(f"{step},{float(loss):.5f},{infonce:.5f},{entropy:.5f},{stats['pos']:.4f},{stats['neg']:.4f},"
                      f"{stats['nearest_neg']:.4f},{opt.param_groups[0]['lr']:.3e},{now - last:.2f}\n")
            log.flush()
            last = now
            done = step + 1
            if done % settings["checkpoint_every"] == 0 or done == settings["steps"]:
                atomic_save(dict(model=model.state_dict(), optimizer=opt.state_dict(), step=done), ckpt)
            rate = (done - start) / max(1e-9, now - t0)
            print(f"progress {done}/{settings['steps']} loss={float(loss):.4f} pos={stats['pos']:.3f} "
                  f"neg={stats['neg']:.3f} nn={stats['nearest_neg']:.3f} steps/s={rate:.3f}", flush=True)
    print(f"done: {settings['steps']} steps (weights {weights_digest(model)})", flush=True)


# ---------------------------------------------------------------- export

def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def to_fp16_storage(onnx_path: str) -> None:
    """Store every float initializer as float16 followed by a Cast to float (ONNX Runtime folds the casts at load, so the
    network computes in float32 with weights rounded to float16): half the file size."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    m = onnx.load(onnx_path)
    g = m.graph
    new_inits, casts = [], []
    for t in g.initializer:
        if t.data_type == TensorProto.FLOAT and len(t.dims) > 0:
            arr = numpy_helper.to_array(t).astype(np.float16)
            half = numpy_helper.from_array(arr, t.name + "_fp16")
            new_inits.append(half)
            casts.append(helper.make_node("Cast", [half.name], [t.name], to=TensorProto.FLOAT, name=t.name + "_cast"))
        else:
            new_inits.append(t)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, onnx_path)


def export(a) -> None:
    global MEAN
    MEAN = onnx_resnet.bgr_mean()
    os.makedirs(a.out, exist_ok=True)
    if a.identity:
        if a.size != 224:
            fail("--identity exports at 224 (the mean image's size)")
        settings = dict(DEFAULTS)
        model = build_model(settings, identity=True)
        step = 0
        name = "resnet18-converted"
    else:
        settings = json.load(open(os.path.join(a.run, "settings.json")))
        state = torch.load(os.path.join(a.run, "checkpoint.pt"), map_location="cpu")
        model = build_model(settings)
        model.load_state_dict(state["model"])
        step = state["step"]
        name = a.name
    model.eval()
    if a.fp16:
        with torch.no_grad():  # the weights the card promises: rounded to float16 as stored
            for p in model.parameters():
                p.copy_(p.half().float())
    size = a.size
    onnx_name = name + ".onnx"
    path = os.path.join(a.out, onnx_name)
    x = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, x, path + ".tmp", input_names=["input"], output_names=["embedding"],
                      dynamic_axes={"input": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=13)
    os.replace(path + ".tmp", path)
    if a.fp16:
        to_fp16_storage(path)
    # PyTorch reference outputs for `replication check-model`
    check = os.path.join(a.out, name + ".check")
    os.makedirs(check, exist_ok=True)
    rng = np.random.default_rng(7)
    entries = []
    for i in range(3):  # images of the input size, so that the card's resize and crop leave them as they are
        im = Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
        im.save(os.path.join(check, f"image{i}.png"))
        with torch.no_grad():
            t = to_tensor(im) if not a.identity else torch.from_numpy(np.asarray(im, np.float32).copy()).permute(2, 0, 1)
            np.save(os.path.join(check, f"image{i}.npy"), model(t.unsqueeze(0)).numpy().astype(np.float32))
        entries.append({"image": f"image{i}.png", "reference": f"image{i}.npy"})
    with open(os.path.join(check, "check.json"), "w") as f:
        json.dump(entries, f, indent=2)
    card = {
        "name": name,
        "onnx": onnx_name,
        "sha256": file_sha256(path),
        "input": {"name": "input", "size": size, "resize": size, "interpolation": "bilinear",
                  "mean": [round(v, 4) for v in MEAN], "std": [1.0, 1.0, 1.0], "scale": 255.0} if not a.identity else
                 {"name": "input", "size": 224, "resize": 256, "interpolation": "bilinear",
                  "mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0], "scale": 255.0},
        "output": {"name": "embedding", "kind": "vector"},
        "dim": settings["dim"],
        "similarity": "ip",
    }
    if not a.identity:
        card["source"] = ("trained with SSCD's recipe (Pizzi et al., CVPR 2022) by models/copy-detector/train_copy_detector.py "
                          "from the ImageNet ResNet-18 of Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1")
        card["training"] = dict(settings, step=step, weights=weights_digest(model))
    with open(os.path.join(a.out, name + ".json.tmp"), "w") as f:
        json.dump(card, f, indent=2)
    os.replace(os.path.join(a.out, name + ".json.tmp"), os.path.join(a.out, name + ".json"))
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB) and its card")


def self_test() -> None:
    global MEAN
    MEAN = onnx_resnet.bgr_mean()
    settings = dict(DEFAULTS, batch=4, size=64, steps=3)
    rng = random.Random(0)
    ims = [augment.gradient(rng, 96).convert("RGBA") for _ in range(6)]
    data = StepBatches(ims, ims[:2], settings, 0)
    s1, v1 = data[1]
    s2, v2 = data[1]
    assert s1 == s2 == 1 and torch.equal(v1, v2), "views must be a pure function of (seed, step)"
    model = build_model(settings)
    emb = model(v1)
    assert emb.shape == (8, 512) and torch.allclose(emb.norm(dim=1), torch.ones(8), atol=1e-5)
    x, t = mixup(v1, 1, dict(settings, mixup_p=1.0))
    assert torch.allclose(t.sum(dim=1), torch.ones(8))
    loss, _, _, _ = sscd_loss(model(x), t, 0.05, 30.0)
    assert math.isfinite(float(loss))
    print("self-test passed")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--pool", required=True)
    t.add_argument("--run", required=True)
    for k, v in DEFAULTS.items():
        if k in ("seed", "steps", "batch", "size", "warmup", "train_from", "checkpoint_every", "preload_side", "dim"):
            t.add_argument("--" + k.replace("_", "-"), dest=k, type=int, default=None)
        else:
            t.add_argument("--" + k.replace("_", "-"), dest=k, type=float, default=None)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--workers", type=int, default=1)
    t.add_argument("--device", default="cpu")
    e = sub.add_parser("export")
    e.add_argument("--run")
    e.add_argument("--out", required=True)
    e.add_argument("--name", default="copy-detector-r18")
    e.add_argument("--size", type=int, default=224)
    e.add_argument("--identity", action="store_true")
    e.add_argument("--fp16", action="store_true", default=False)
    sub.add_parser("self-test")
    a = ap.parse_args(argv)
    if a.cmd == "train":
        train(a)
    elif a.cmd == "export":
        if not a.identity and not a.run:
            fail("export needs --run (or --identity)")
        export(a)
    else:
        self_test()


if __name__ == "__main__":
    main()
