#!/usr/bin/env python3
"""Train a DDPM (ε-prediction, linear β, 1,000 steps) on a manifest of images, resumably, and export it to ONNX.

    train_ddpm.py train  --preset clipart-32 --data subsets/subset-32.csv --run runs/clipart-32
    train_ddpm.py export --run runs/clipart-32 --out models/ddpm-clipart-32 [--step 4000]
    train_ddpm.py sample --run runs/clipart-32 --count 16 --steps 50           (the PyTorch peer of `replication sample`)
    train_ddpm.py self-test

Training follows diffusers' examples/unconditional_image_generation: Resize(resolution) then RandomCrop and a
random horizontal flip (the example flips only with --random_flip; the paper says it flipped), images scaled to [−1, 1], AdamW (β 0.95/0.999, weight decay 1e-6, ε 1e-8), gradient norm
clipped at 1, cosine learning rate with linear warm-up, EMA with warm-up (inv_gamma 1, power 3/4, max 0.9999).
Images with transparency are composited onto white first (as `replication scan` does by default; `--alpha drop`
keeps Pillow's convert("RGB")). Needs only PyTorch ≥ 1.13, NumPy and Pillow.

Resuming: `train` continues from `RUN/checkpoint.pt` after any interruption (kill -9 included: checkpoints are
written to a temporary file and renamed). All randomness of step s (batch order, crops, flips, noise, timesteps)
is drawn from generators seeded by (seed, s), so an interrupted and resumed run takes the same steps as an
uninterrupted one. Milestone checkpoints (`RUN/milestones/step-N.pt`) keep the full training state too.
Progress lines `progress STEP/TOTAL loss=… steps/s=…` are what `replication train` shows as a progress bar.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from PIL import Image
except ImportError as e:  # one clear line instead of a traceback
    sys.exit(f"error: {e.name} is missing: install PyTorch ≥ 1.13, NumPy and Pillow "
             "(Debian 12: apt-get install python3-torch python3-numpy python3-pil libopenblas0-pthread)")

from unet2d import UNet2DModel, UNetConfig, load_state_dict_checked  # noqa: E402
import schedulers  # noqa: E402

# diffusers' examples/unconditional_image_generation architecture (the paper trained with that script).
PAPER_ARCH = dict(block_out_channels=[128, 128, 256, 256, 512, 512], layers_per_block=2,
                  down_block_types=["DownBlock2D", "DownBlock2D", "DownBlock2D", "DownBlock2D", "AttnDownBlock2D", "DownBlock2D"],
                  up_block_types=["UpBlock2D", "AttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"])
# A CPU-scale UNet (812k parameters): 32×32 → 16 → 8, attention at 8×8 and in the middle.
SMALL_ARCH = dict(block_out_channels=[32, 32, 64], layers_per_block=1, norm_num_groups=16, attention_head_dim=None,
                  down_block_types=["DownBlock2D", "DownBlock2D", "AttnDownBlock2D"],
                  up_block_types=["AttnUpBlock2D", "UpBlock2D", "UpBlock2D"])

# Paper presets (Appendix B.1). The paper does not state the resolution; 64 is the diffusers example's default.
# "epochs" become steps from the data size: ceil(n / batch) · epochs.
PRESETS = {
    "celeba-300":   dict(arch=PAPER_ARCH, resolution=64, batch=4,  epochs=4000, lr=5e-5, warmup=200, size=300),
    "celeba-3000":  dict(arch=PAPER_ARCH, resolution=64, batch=20, epochs=4000, lr=5e-4, warmup=200, size=3000),
    "flowers-100":  dict(arch=PAPER_ARCH, resolution=64, batch=5,  epochs=2000, lr=5e-5, warmup=100, size=100),
    "flowers-1083": dict(arch=PAPER_ARCH, resolution=64, batch=20, epochs=2000, lr=1e-4, warmup=400, size=1083),
    "flowers-8189": dict(arch=PAPER_ARCH, resolution=64, batch=32, epochs=1000, lr=1e-4, warmup=100, size=8189),
    # CPU-scale reproduction on openclipart (notebooks/02-training-size-sweep): a step budget, not epochs.
    "clipart-32":   dict(arch=SMALL_ARCH, resolution=32, batch=8, steps=16000, lr=5e-4, warmup=200, size=32, milestones=[2000, 4000, 8000]),
    "clipart-256":  dict(arch=SMALL_ARCH, resolution=32, batch=8, steps=16000, lr=5e-4, warmup=200, size=256, milestones=[2000, 4000, 8000]),
    "clipart-1024": dict(arch=SMALL_ARCH, resolution=32, batch=8, steps=16000, lr=5e-4, warmup=200, size=1024, milestones=[2000, 4000, 8000]),
    # CPU-scale class-conditional model for notebooks/03-per-class-study (train with --conditional; data/per-class)
    "clipart-classes": dict(arch=SMALL_ARCH, resolution=32, batch=8, steps=16000, lr=5e-4, warmup=200, size=480, milestones=[2000, 4000, 8000]),
    # CPU-scale sweep on font glyphs (data/glyphs, notebooks/02-training-size-sweep): no flip (letters are not mirror-symmetric)
    **{f"glyphs-{n}": dict(arch=SMALL_ARCH, resolution=32, batch=16, steps=30000, lr=5e-4, warmup=500, size=n, flip=False,
                           milestones=[5000, 10000, 20000]) for n in (16, 64, 256, 1024, 4096)},
    # CPU-scale class-conditional model on font glyphs (notebooks/03-per-class-study; train with --conditional): the 26
    # capital letters of data/glyphs/subset-4096 (data/glyphs/classes-upper.csv), the sweep's recipe
    "glyphs-classes": dict(arch=SMALL_ARCH, resolution=32, batch=16, steps=30000, lr=5e-4, warmup=500, size=1702, flip=False,
                           milestones=[5000, 10000, 20000]),
    # CPU-scale duplication study (notebooks/04): subset-4096 with 16 images each at 4, 16 and 64 exact copies
    # (data/glyphs/duplicated-4096.csv, written by `replication duplicate`), the sweep's recipe
    "glyphs-duplicated": dict(arch=SMALL_ARCH, resolution=32, batch=16, steps=30000, lr=5e-4, warmup=500, size=5392, flip=False,
                              milestones=[5000, 10000, 20000]),
    # for tests: a tiny network, a few steps
    "tiny-test":    dict(arch=dict(block_out_channels=[8, 16], layers_per_block=1, norm_num_groups=4, attention_head_dim=None,
                                   down_block_types=["DownBlock2D", "AttnDownBlock2D"], up_block_types=["AttnUpBlock2D", "UpBlock2D"]),
                         resolution=8, batch=2, steps=6, lr=1e-3, warmup=2, size=None, milestones=[3]),
}
TRAIN_STEPS = 1000  # diffusion steps


def repository_relative(path: str) -> str:
    """A path inside this repository as relative to its root (no machine path in committed run records), else absolute."""
    repo = os.path.normpath(os.path.join(HERE, "..", ".."))
    full = os.path.abspath(path)
    return os.path.relpath(full, repo) if full.startswith(repo + os.sep) else full


def fail(message: str) -> None:
    sys.exit(f"error: {message}")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- data

def read_manifest(path: str) -> list[tuple[str, str | None]]:
    """(absolute path, label or None) per row of a manifest CSV with a `path` column (paths relative to the manifest)."""
    if not os.path.isfile(path):
        fail(f"{path}: manifest not found")
    base = os.path.dirname(os.path.abspath(path))
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or "path" not in reader.fieldnames:
            fail(f"{path}: manifest needs a 'path' column")
        rows = [(os.path.normpath(os.path.join(base, r["path"])), (r.get("label") or None)) for r in reader]
    if not rows:
        fail(f"{path}: manifest lists no images")
    return rows


def load_image(path: str, resolution: int, alpha: str) -> torch.Tensor:
    """uint8 [3, h, w] with the shorter side resized to `resolution` (bilinear, antialiased as torchvision's Resize on PIL)."""
    with Image.open(path) as im:
        im.load()
        has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
        if alpha == "composite" and has_alpha:
            rgba = im.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, rgba).convert("RGB")
        else:
            im = im.convert("RGB")
    w, h = im.size
    if w <= h:
        size = (resolution, int(resolution * h / w))
    else:
        size = (int(resolution * w / h), resolution)
    im = im.resize(size, Image.BILINEAR)
    return torch.from_numpy(np.asarray(im, dtype=np.uint8).copy()).permute(2, 0, 1).contiguous()


class ImageSet:
    def __init__(self, manifest: str, resolution: int, alpha: str, expected_size: int | None, flip: bool = True):
        self.flip = flip
        rows = read_manifest(manifest)
        if expected_size is not None and len(rows) != expected_size:
            print(f"note: the preset was written for {expected_size} images, the manifest has {len(rows)}", flush=True)
        self.images = []
        for path, _ in rows:
            try:
                self.images.append(load_image(path, resolution, alpha))
            except (OSError, ValueError) as e:
                fail(f"{path}: cannot be read ({type(e).__name__}: {e})")
        labels = [label for _, label in rows]
        self.classes = sorted({l for l in labels if l is not None})
        self.labels = [self.classes.index(l) if l is not None else -1 for l in labels]
        self.resolution = resolution
        self.fingerprint = sha256_file(manifest)

    def __len__(self) -> int:
        return len(self.images)

    def batch(self, indices: list[int], g: torch.Generator) -> torch.Tensor:
        r = self.resolution
        out = torch.empty(len(indices), 3, r, r)
        for j, i in enumerate(indices):
            img = self.images[i]
            top = int(torch.randint(0, img.shape[1] - r + 1, (1,), generator=g))
            left = int(torch.randint(0, img.shape[2] - r + 1, (1,), generator=g))
            crop = img[:, top:top + r, left:left + r]
            if torch.rand((1,), generator=g).item() < 0.5 and self.flip:  # drawn either way: the same stream
                crop = crop.flip(-1)
            out[j] = crop.float() / 127.5 - 1.0
        return out


def step_indices(n: int, batch: int, step: int, seed: int) -> list[int]:
    """The images of step `step`: epochs are seeded permutations, the last batch of an epoch may be short (as a DataLoader)."""
    per_epoch = math.ceil(n / batch)
    epoch, k = divmod(step, per_epoch)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch)).tolist()
    return perm[k * batch:(k + 1) * batch]


# ---------------------------------------------------------------- training

def cosine_lr(step: int, base: float, warmup: int, total: int) -> float:
    if step < warmup:
        return base * step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    return base * max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))


def ema_decay(step: int, max_decay: float = 0.9999, inv_gamma: float = 1.0, power: float = 0.75) -> float:
    """diffusers' EMAModel.get_decay with use_ema_warmup for optimization step `step` (1-based)."""
    s = step - 1
    if s <= 0:
        return 0.0
    return min(1 - (1 + s / inv_gamma) ** -power, max_decay)


def build_model(preset: dict, classes: int | None, null_class: bool = False) -> UNet2DModel:
    """`classes` class embeddings, plus one for the null class (index `classes`) when trained for classifier-free guidance."""
    if preset["arch"].get("dropout", 0):
        fail("dropout > 0 is not supported: it draws from the global random state, which would break exact resume")
    arch = dict(preset["arch"])
    arch["sample_size"] = preset["resolution"]
    if classes:
        arch["num_class_embeds"] = classes + (1 if null_class else 0)
    return UNet2DModel(UNetConfig.from_dict(arch))


def atomic_save(obj, path: str) -> None:
    tmp = path + ".partial"
    torch.save(obj, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def take_run_lock(run: str) -> str:
    """One training process per run folder: RUN/.lock appears with its content at once (written to a temporary file, then
    hard-linked into place, which fails if a lock exists) and names host and pid. A lock whose process is gone (same host) is
    taken over; an unreadable lock counts as held; one from another host must be removed by hand (its process cannot be
    checked). Between judging a lock stale and removing it, its content is read again and must be unchanged."""
    import socket
    path = os.path.join(run, ".lock")
    me = json.dumps(dict(host=socket.gethostname(), pid=os.getpid()))
    tmp = f"{path}.{os.getpid()}.partial"
    with open(tmp, "w") as f:
        f.write(me)
    try:
        for _ in range(3):
            try:
                os.link(tmp, path)
                return path
            except FileExistsError:
                try:
                    with open(path) as f:
                        text = f.read()
                    holder = json.loads(text)
                except (OSError, ValueError):
                    fail(f"{run}: {path} exists but cannot be read; if no training runs there, delete it")
                alive = holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int) and os.path.exists(f"/proc/{holder['pid']}")
                if alive or holder.get("host") != socket.gethostname():
                    fail(f"{run}: another training process holds this run ({holder}); wait for it, or delete {path} if it is gone")
                try:
                    with open(path) as f:
                        if f.read() == text:
                            os.remove(path)  # still the dead process's lock
                except FileNotFoundError:
                    pass
        fail(f"{run}: could not take {path}")
    finally:
        os.remove(tmp)


def train(args) -> None:
    if args.preset not in PRESETS:
        fail(f"--preset {args.preset!r} is not one of: {', '.join(PRESETS)}")
    preset = PRESETS[args.preset]
    torch.set_num_threads(args.threads)
    data = ImageSet(args.data, preset["resolution"], args.alpha, preset.get("size"), preset.get("flip", True))
    classes = len(data.classes) if args.conditional else None
    if args.conditional and (classes == 0 or -1 in data.labels):
        fail(f"{args.data}: --conditional needs a 'label' on every row")
    batch = preset["batch"]
    total = args.steps or preset.get("steps") or math.ceil(len(data) / batch) * preset["epochs"]
    if not 0 <= args.label_dropout < 1:
        fail(f"--label-dropout {args.label_dropout}: must be in [0, 1)")
    if args.label_dropout != 0.1 and not args.conditional:
        fail("--label-dropout needs --conditional (it drops class labels)")
    identity = dict(preset=args.preset, data=data.fingerprint, images=len(data), alpha=args.alpha, seed=args.seed,
                    steps=total, conditional=bool(args.conditional), classes=data.classes if args.conditional else None)
    if args.conditional:  # (unconditional runs keep the identity they were written with)
        identity["label_dropout"] = args.label_dropout
    os.makedirs(os.path.join(args.run, "milestones"), exist_ok=True)
    lock = take_run_lock(args.run)
    try:
        run_training(args, preset, data, classes, batch, total, identity)
    finally:
        if os.path.exists(lock):
            os.remove(lock)


def run_training(args, preset, data, classes, batch, total, identity) -> None:
    ckpt_path = os.path.join(args.run, "checkpoint.pt")
    for stale in (ckpt_path + ".partial",):
        if os.path.exists(stale):
            os.remove(stale)

    torch.manual_seed(args.seed)  # the initial weights
    dropout = identity.get("label_dropout", 0.0)
    model = build_model(preset, classes, null_class=dropout > 0)
    ema = build_model(preset, classes, null_class=dropout > 0)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=preset["lr"], betas=(0.95, 0.999), weight_decay=1e-6, eps=1e-8)
    step = 0
    if os.path.exists(ckpt_path):
        state = torch.load(ckpt_path, map_location="cpu")
        for key, value in identity.items():
            if state["identity"].get(key) != value:
                fail(f"{ckpt_path}: made with {key}={state['identity'].get(key)!r}, this run has {key}={value!r}; "
                     "use another --run folder or delete the checkpoint")
        if state.get("threads") not in (None, args.threads):
            print(f"warning: the checkpoint was written with --threads {state['threads']}, this run uses {args.threads}: CPU kernels may "
                  "sum in another order, so the weights can differ in the last bits from an uninterrupted run", flush=True)
        load_state_dict_checked(model, state["model"], ckpt_path)
        load_state_dict_checked(ema, state["ema"], ckpt_path)
        opt.load_state_dict(state["optimizer"])
        step = state["step"]
        print(f"resumed at step {step}/{total} from {ckpt_path}", flush=True)
    with open(os.path.join(args.run, "run.json"), "w") as f:
        json.dump(dict(identity, manifest=repository_relative(args.data), config=model.config.to_dict(), batch=batch,
                       lr=preset["lr"], warmup=preset["warmup"], threads=args.threads,
                       parameters=sum(p.numel() for p in model.parameters())), f, indent=1)
    log_path = os.path.join(args.run, "train-log.csv")
    keep_log_until(log_path, step)
    log = open(log_path, "a", buffering=1)
    if os.path.getsize(log_path) == 0:
        log.write("step,loss,lr,seconds\n")

    ac = schedulers.linear_alphas_cumprod(TRAIN_STEPS).float()
    milestones = set(preset.get("milestones", []))
    started, done_here, losses = time.time(), 0, []
    model.train()
    while step < total:
        g = torch.Generator().manual_seed(args.seed * 2_000_003 + step)
        idx = step_indices(len(data), batch, step, args.seed)
        x0 = data.batch(idx, g)
        noise = torch.randn(x0.shape, generator=g)
        t = torch.randint(0, TRAIN_STEPS, (len(idx),), generator=g)
        a = ac[t].view(-1, 1, 1, 1)
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        labels = torch.tensor([data.labels[i] for i in idx]) if classes else None
        if classes and dropout > 0:  # classifier-free guidance: the null class (index `classes`) in place of the label
            labels = torch.where(torch.rand(len(idx), generator=g) < dropout, torch.full_like(labels, classes), labels)
        lr = cosine_lr(step, preset["lr"], preset["warmup"], total)
        for group in opt.param_groups:
            group["lr"] = lr
        loss = F.mse_loss(model(xt, t, labels) if classes else model(xt, t), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        d = ema_decay(step)
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(d).add_(pm.detach(), alpha=1 - d)
            for be, bm in zip(ema.buffers(), model.buffers()):
                be.copy_(bm)
        losses.append(loss.item())
        done_here += 1
        log.write(f"{step},{loss.item():.6f},{lr:.3e},{time.time() - started:.1f}\n")
        if step % 10 == 0 or step == total:
            rate = done_here / max(1e-9, time.time() - started)
            print(f"progress {step}/{total} loss={sum(losses[-50:]) / len(losses[-50:]):.4f} steps/s={rate:.2f}", flush=True)
        if step % args.checkpoint_every == 0 or step == total or step in milestones:
            state = dict(identity=identity, step=step, threads=args.threads, model=model.state_dict(), ema=ema.state_dict(), optimizer=opt.state_dict(),
                         config=model.config.to_dict(), classes=data.classes if classes else None,
                         null_class=classes if classes and dropout > 0 else None)
            log.flush()
            os.fsync(log.fileno())
            atomic_save(state, ckpt_path)
            if step in milestones:
                atomic_save(state, os.path.join(args.run, "milestones", f"step-{step}.pt"))
        if args.die_after and done_here == args.die_after:
            os._exit(137)  # tests: an abrupt end (no cleanup, like kill -9) between checkpoints
    log.close()
    print(f"done: {step} steps in {args.run}; EMA weights sha256 {weights_digest(ema)}", flush=True)


def weights_digest(model: torch.nn.Module) -> str:
    """SHA-256 of the parameters' bytes in state-dict order: equal digests mean bit-identical weights."""
    h = hashlib.sha256()
    for key, value in model.state_dict().items():
        h.update(key.encode())
        h.update(value.detach().contiguous().numpy().tobytes())
    return h.hexdigest()


def keep_log_until(path: str, step: int) -> None:
    """Drops log rows after `step` (written after the last checkpoint of an interrupted run)."""
    if not os.path.exists(path):
        return
    with open(path) as f:
        lines = f.readlines()
    kept = [l for l in lines if l.startswith("step") or (l.strip() and l.split(",")[0].isdigit() and int(l.split(",")[0]) <= step)]
    kept = [l if l.endswith("\n") else l + "\n" for l in kept if "," in l and len(l.split(",")) == 4]
    with open(path + ".partial", "w") as f:
        f.writelines(kept)
    os.replace(path + ".partial", path)


# ---------------------------------------------------------------- export

def load_ema(run: str, step: int | None) -> tuple[UNet2DModel, dict]:
    path = os.path.join(run, "milestones", f"step-{step}.pt") if step else os.path.join(run, "checkpoint.pt")
    if not os.path.exists(path):
        fail(f"{path}: no such checkpoint")
    state = torch.load(path, map_location="cpu")
    model = UNet2DModel(UNetConfig.from_dict(state["config"]))
    load_state_dict_checked(model, state["ema"], path)
    model.eval()
    return model, state


class OnnxWrapper(torch.nn.Module):
    def __init__(self, model: UNet2DModel):
        super().__init__()
        self.model = model

    def forward(self, sample, timestep, class_labels=None):
        return self.model(sample, timestep, class_labels)


def export(args) -> None:
    model, state = load_ema(args.run, args.step)
    c = model.config
    conditional = c.num_class_embeds is not None
    os.makedirs(args.out, exist_ok=True)
    name = args.name or os.path.basename(os.path.normpath(args.out))
    onnx_path = os.path.join(args.out, "denoiser.onnx")
    r = c.sample_size
    g = torch.Generator().manual_seed(0)
    sample = torch.randn(2, 3, r, r, generator=g)
    timestep = torch.tensor([999, 10], dtype=torch.long)
    labels = torch.tensor([0, min(1, c.num_class_embeds - 1)], dtype=torch.long) if conditional else None
    inputs = (sample, timestep, labels) if conditional else (sample, timestep)
    names = ["sample", "timestep"] + (["class_labels"] if conditional else [])
    axes = {n: {0: "batch"} for n in names + ["noise"]}
    warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")  # torch 1.13's exporter, harmless
    torch.onnx.export(OnnxWrapper(model), inputs, onnx_path + ".partial", input_names=names, output_names=["noise"],
                      dynamic_axes=axes, opset_version=14, do_constant_folding=True)
    os.replace(onnx_path + ".partial", onnx_path)
    with torch.no_grad():
        expected = model(*inputs)
        # sampler agreement: DDIM-10 (η = 0) from noise written to a file
        x_T = torch.randn(2, 3, r, r, generator=torch.Generator().manual_seed(1))
        ddim = schedulers.sample(model, x_T.clone(), steps=10, eta=0.0, class_labels=labels)
        null_class = state.get("null_class")
        guided = schedulers.sample(model, x_T.clone(), steps=10, eta=0.0, class_labels=labels, guidance_scale=3.0,
                                   null_class=null_class) if null_class is not None else None
        # one ancestral step at t = 500 with given noise
        z = torch.randn(2, 3, r, r, generator=torch.Generator().manual_seed(2))
        ac = schedulers.linear_alphas_cumprod(TRAIN_STEPS)
        t500 = torch.full((2,), 500, dtype=torch.long)
        eps500 = model(x_T, t500, labels) if conditional else model(x_T, t500)
        one = schedulers.ddpm_step(x_T, eps500, 500, ac, z)
    ref = os.path.join(args.out, "reference")
    os.makedirs(ref, exist_ok=True)
    for key, value in dict(sample=sample, timestep=timestep, noise=expected, ddim_x_T=x_T, ddim10=ddim, ddpm_z=z, ddpm_step500=one,
                           **({"class_labels": labels} if conditional else {}),
                           **({"ddim10_guided3": guided} if guided is not None else {})).items():
        np.save(os.path.join(ref, f"{key}.npy"), value.numpy())
    identity = state["identity"]
    card = dict(name=name, onnx="denoiser.onnx", sha256=sha256_file(onnx_path), imageSize=r,
                sampleInput="sample", timestepInput="timestep", output="noise",
                classInput="class_labels" if conditional else None, classes=state.get("classes") if conditional else None,
                nullClass=state.get("null_class"),
                schedule="linear", steps=TRAIN_STEPS, predictionType="epsilon", varianceType="fixed_small", clipSample=True, ema=True,
                source=f"trained by models/ddpm/train_ddpm.py, preset {identity['preset']}, {state['step']} steps on "
                       f"{identity['images']} images (manifest sha256 {identity['data'][:16]}…, alpha {identity['alpha']}, seed {identity['seed']})",
                license="weights trained on public-domain openclipart images" if identity["preset"].startswith("clipart") else "",
                training=dict(preset=identity["preset"], step=state["step"], images=identity["images"], manifest_sha256=identity["data"]))
    card = {k: v for k, v in card.items() if v is not None}
    with open(os.path.join(args.out, "card.json"), "w") as f:
        json.dump(card, f, indent=1)
    print(f"exported {onnx_path} ({os.path.getsize(onnx_path) / 1e6:.1f} MB), card and PyTorch reference outputs", flush=True)


# ---------------------------------------------------------------- PyTorch sampling peer

def sample_cmd(args) -> None:
    model, _ = load_ema(args.run, args.step)
    torch.set_num_threads(args.threads)
    r = model.config.sample_size
    g = torch.Generator().manual_seed(args.seed)
    x = torch.randn(args.count, 3, r, r, generator=g)
    started = time.time()
    out = schedulers.sample(model, x, steps=args.steps, eta=args.eta, ddpm=args.ddpm, generator=g)
    seconds = time.time() - started
    print(json.dumps(dict(images=args.count, steps=1000 if args.ddpm else args.steps, seconds=round(seconds, 3),
                          images_per_s=round(args.count / seconds, 3), threads=args.threads)), flush=True)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        pixels = ((out.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
        for i, p in enumerate(pixels):
            Image.fromarray(p).save(os.path.join(args.out, f"{i:05d}.png"))


# ---------------------------------------------------------------- self-test

def self_test(_args) -> None:
    """Checks the parts that do not need data: old/new attention layouts load, mismatches are named, resume is exact."""
    import tempfile
    from unet2d import convert_state_dict
    preset = PRESETS["tiny-test"]
    m = build_model(preset, None)
    state = m.state_dict()
    old = {}
    for k, v in state.items():
        for new, o in (("to_q", "query"), ("to_k", "key"), ("to_v", "value"), ("to_out.0", "proj_attn")):
            if f".{new}." in k:
                k = k.replace(f".{new}.", f".{o}.")
        old[k] = v
    assert any(".query." in k for k in old)
    m2 = build_model(preset, None)
    load_state_dict_checked(m2, old, "old-layout")
    x, t = torch.randn(2, 3, 8, 8), torch.tensor([3, 700])
    assert torch.equal(m(x, t), m2(x, t)), "old layout gives other outputs"
    assert convert_state_dict(state).keys() == state.keys()
    bad = dict(state)
    key = next(iter(bad))
    bad[key] = torch.zeros(1)
    try:
        load_state_dict_checked(m2, bad, "bad")
        raise AssertionError("a misshapen checkpoint was accepted")
    except ValueError as e:
        assert key in str(e), e
    print("self-test passed: both attention layouts load, mismatches are named", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train or resume")
    t.add_argument("--preset", required=True, help=", ".join(PRESETS))
    t.add_argument("--data", required=True, help="manifest CSV (path[,label]) of the training images")
    t.add_argument("--run", required=True, help="run folder (checkpoint, log, milestones); an existing one is resumed")
    t.add_argument("--steps", type=int, help="override the preset's step budget")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--alpha", choices=["composite", "drop"], default="composite")
    t.add_argument("--conditional", action="store_true", help="class-conditional on the manifest's label column")
    t.add_argument("--label-dropout", type=float, default=0.1,
                   help="with --conditional: probability of training on the null class, for classifier-free guidance (0: none)")
    t.add_argument("--checkpoint-every", type=int, default=250)
    t.add_argument("--die-after", type=int, help=argparse.SUPPRESS)
    e = sub.add_parser("export", help="export the EMA weights to ONNX with a denoiser card and PyTorch reference outputs")
    e.add_argument("--run", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--step", type=int, help="a milestone step (default: the latest checkpoint)")
    e.add_argument("--name")
    s = sub.add_parser("sample", help="sample with PyTorch (the peer of `replication sample`)")
    s.add_argument("--run", required=True)
    s.add_argument("--step", type=int)
    s.add_argument("--count", type=int, default=16)
    s.add_argument("--steps", type=int, default=50)
    s.add_argument("--eta", type=float, default=0.0)
    s.add_argument("--ddpm", action="store_true")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--out")
    sub.add_parser("self-test")
    args = p.parse_args()
    {"train": train, "export": export, "sample": sample_cmd, "self-test": self_test}[args.command](args)


if __name__ == "__main__":
    main()
