#!/usr/bin/env python3
"""Export the paper's feature extractors to ONNX (dynamic batch) with a model card, plus PyTorch reference outputs.

    /usr/bin/python3 models/export_models.py MODEL [--weights FILE | --random-weights] [--preprocessing official-code|embedding-search|authors] [--out models/zoo]

Writes OUT/MODEL.onnx, OUT/MODEL.json (the card, with the sha256 of the .onnx) and OUT/MODEL.check/ (three check images,
the PyTorch outputs for them after torchvision preprocessing from the card, and check.json). `replication check-model
--card OUT/MODEL.json` then runs the same images through the C# preprocessing and ONNX Runtime and reports the difference.

Needs Debian's python3-torch and python3-torchvision (no pip, no downloads: weights are files you bring).
  * --random-weights works for the architectures torchvision provides (resnet50, vit-b16, swin-b) and for tiny-vit,
    a two-layer ViT on 32x32 inputs that the C# tests use to check the path end to end (CLS vector and tokens).
  * --weights FILE: sscd-disc-mixup takes the TorchScript file published with SSCD (sscd_disc_mixup.torchscript.pt);
    dino-vitb16, mocov3-vitb16, vit-s16 and vit-b16-in21k take a PyTorch checkpoint with timm-style ViT keys
    (blocks.N.attn.qkv, ...; prefixes such as module.base_encoder. are stripped), mapped onto torchvision's ViT
    (`--self-test` checks that mapping by a round trip); swin-b takes torchvision's swin_b weights file; vicregl-r50 and
    multigrain-r50 take ResNet-50 checkpoints whose keys match torchvision's after stripping a prefix (missing weights are
    an error; MultiGrain's descriptor is GeM-pooled with p = 3); clip-vitb16 takes OpenAI's ViT-B-16.pt (TorchScript
    archive or state dict) through this script's own implementation of CLIP's image tower.
"""
import argparse, hashlib, json, os, sys

import numpy as np
import torch
import torchvision
from torchvision import transforms
from PIL import Image

IMAGENET = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
HALF = ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
CLIP = ([0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711])

# Preprocessing presets (resize, crop, interpolation, (mean, std)), each from a named source:
#  * "official-code": DCR diff_retrieval.py, main_worker's ret_transform, the same for every extractor:
#    Resize(256) (torchvision's default bilinear), CenterCrop(224), ToTensor, Normalize([0.5], [0.5]).
#  * "embedding-search": DCR embedding_search/utils.py, get_transform (the LAION search of Section 7):
#    Resize(256), CenterCrop(224), ToTensor, Normalize(ImageNet mean, ImageNet std).
#  * "authors": what each model's own authors use (per model below).
# The test and stand-in models with a native size other than 224 have only "authors".
OFFICIAL_CODE = (256, 224, "bilinear", HALF)
EMBEDDING_SEARCH = (256, 224, "bilinear", IMAGENET)
PRESETS = ["official-code", "embedding-search", "authors"]

# name -> architecture, output kind, dim, the authors' preprocessing
CATALOG = {
    "sscd-disc-mixup": dict(arch="torchscript", kind="vector", dim=512, source="SSCD (Pizzi et al. 2022), sscd_disc_mixup.torchscript.pt",
                            license="CC-BY-NC 4.0 (SSCD's weights and code, per its README)", authors=(288, 288, "bilinear", IMAGENET)),
    "dino-vitb16": dict(arch="timm-vit-b16", kind="tokens", dim=768, source="DINO ViT-B/16 (Caron et al. 2021)", license="Apache-2.0",
                        authors=(256, 224, "bicubic", IMAGENET)),
    "clip-vitb16": dict(arch="clip-vitb16", kind="vector", dim=512, source="CLIP ViT-B/16 image encoder (Radford et al. 2021)", license="MIT",
                        authors=(224, 224, "bicubic", CLIP)),
    "swin-b": dict(arch="swin-b", kind="vector", dim=1024, source="Swin-B ImageNet-1k (torchvision)", license="BSD-3-Clause",
                   authors=(238, 224, "bicubic", IMAGENET)),
    "vit-s16": dict(arch="timm-vit-s16", kind="vector", dim=384, source="ViT-S/16 ImageNet-1k (timm)", license="Apache-2.0",
                    authors=(248, 224, "bicubic", HALF)),
    "vit-b16-in21k": dict(arch="timm-vit-b16", kind="vector", dim=768, source="ViT-B/16 ImageNet-21k (timm)", license="Apache-2.0",
                          authors=(248, 224, "bicubic", HALF)),
    "mocov3-vitb16": dict(arch="timm-vit-b16", kind="vector", dim=768, source="MoCo v3 ViT-B/16 (Chen et al. 2021)", license="CC-BY-NC-4.0",
                          authors=(256, 224, "bilinear", IMAGENET)),
    "vicregl-r50": dict(arch="resnet50", pool="avg", kind="vector", dim=2048, source="VICRegL ResNet-50 (Bardes et al. 2022)", license="MIT",
                        authors=(256, 224, "bilinear", IMAGENET)),
    "multigrain-r50": dict(arch="resnet50", pool="gem3", kind="vector", dim=2048, source="MultiGrain ResNet-50 (Berman et al. 2019)", license="CC-BY-NC-4.0",
                           authors=(256, 224, "bilinear", IMAGENET)),
    # random-weight stand-ins and the test model
    "resnet50": dict(arch="resnet50", kind="vector", dim=2048, source="torchvision resnet50 architecture", license="BSD-3-Clause",
                     authors=(256, 224, "bilinear", IMAGENET)),
    "vit-b16": dict(arch="vit-b16", kind="tokens", dim=768, source="torchvision vit_b_16 architecture", license="BSD-3-Clause",
                    authors=(256, 224, "bicubic", IMAGENET)),
    "tiny-vit": dict(arch="tiny-vit", authors_only=True, kind="tokens", dim=16, source="2-layer ViT on 32x32 input (tests only)", license="this project",
                     authors=(40, 32, "bicubic", IMAGENET)),
}


class Pooled(torch.nn.Module):
    """A torchvision classifier's features before the head, flattened: [batch, dim]."""
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.net.fc = torch.nn.Identity() if hasattr(net, "fc") else None
        if hasattr(net, "head"):
            net.head = torch.nn.Identity()

    def forward(self, x):
        return self.net(x).flatten(1)


class VitTokens(torch.nn.Module):
    """A torchvision VisionTransformer's final tokens: [batch, 1 + patches, dim] (token 0 is CLS)."""
    def __init__(self, vit):
        super().__init__()
        self.vit = vit

    def forward(self, x):
        v = self.vit
        x = v._process_input(x)
        cls = v.class_token.expand(x.shape[0], -1, -1)
        return v.encoder(torch.cat([cls, x], dim=1))


class VitCls(torch.nn.Module):
    """The CLS token of a torchvision VisionTransformer after the final norm: [batch, dim]."""
    def __init__(self, vit):
        super().__init__()
        self.tokens = VitTokens(vit)

    def forward(self, x):
        return self.tokens(x)[:, 0]


class GemPooled(torch.nn.Module):
    """ResNet-50 trunk with generalized-mean pooling, p = 3 (MultiGrain's descriptor before whitening)."""
    def __init__(self, net, p=3.0):
        super().__init__()
        self.trunk = torch.nn.Sequential(*list(net.children())[:-2])
        self.p = p

    def forward(self, x):
        return self.trunk(x).clamp(min=1e-6).pow(self.p).mean(dim=(2, 3)).pow(1.0 / self.p)


class ClipVisual(torch.nn.Module):
    """CLIP's ViT-B/16 image tower (Radford et al. 2021): patch conv without bias, class embedding, ln_pre, 12 residual
    attention blocks with QuickGELU, ln_post on the CLS token, projection to 512. Keys follow OpenAI's 'visual.' names."""
    def __init__(self, width=768, layers=12, heads=12, patch=16, size=224, out=512):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = torch.nn.Parameter(torch.zeros(width))
        self.positional_embedding = torch.nn.Parameter(torch.zeros((size // patch) ** 2 + 1, width))
        self.ln_pre = torch.nn.LayerNorm(width)
        self.transformer = torch.nn.Module()
        self.transformer.resblocks = torch.nn.ModuleList(ClipBlock(width, heads) for _ in range(layers))
        self.ln_post = torch.nn.LayerNorm(width)
        self.proj = torch.nn.Parameter(torch.zeros(width, out))

    def forward(self, x):
        x = self.conv1(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        for block in self.transformer.resblocks:
            x = block(x)
        return self.ln_post(x[:, 0]) @ self.proj


class ClipBlock(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(width)
        self.attn = torch.nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = torch.nn.LayerNorm(width)
        self.mlp = torch.nn.Module()
        self.mlp.c_fc = torch.nn.Linear(width, 4 * width)
        self.mlp.c_proj = torch.nn.Linear(4 * width, width)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        h = self.mlp.c_fc(self.ln_2(x))
        return x + self.mlp.c_proj(h * torch.sigmoid(1.702 * h))


def load_clip(path):
    try:
        sd = torch.jit.load(path, map_location="cpu").state_dict()
    except RuntimeError:
        sd = torch.load(path, map_location="cpu")
    visual = {k[len("visual."):]: v.float() for k, v in sd.items() if k.startswith("visual.")}
    if not visual:
        sys.exit(f"{path}: no 'visual.*' weights (expected OpenAI's CLIP ViT-B-16.pt)")
    model = ClipVisual()
    model.load_state_dict(visual, strict=True)
    return model


def strip_prefixes(sd, prefixes=("module.", "backbone.", "model.", "features.", "encoder.")):
    for prefix in prefixes:
        if all(k.startswith(prefix) for k in sd):
            sd = {k[len(prefix):]: v for k, v in sd.items()}
    return sd


VIT_SHAPES = {"timm-vit-b16": (768, 12, 12), "timm-vit-s16": (384, 12, 6)}


def torchvision_vit(arch):
    from torchvision.models.vision_transformer import VisionTransformer
    dim, depth, heads = VIT_SHAPES[arch]
    return VisionTransformer(image_size=224, patch_size=16, num_layers=depth, num_heads=heads, hidden_dim=dim, mlp_dim=4 * dim)


def timm_to_torchvision(sd):
    """Maps timm-style ViT keys (DINO, MoCo v3, timm) onto torchvision's VisionTransformer; classifier heads are dropped."""
    for prefix in ("module.base_encoder.", "module.", "base_encoder.", "backbone.", "student.", "teacher."):
        if all(k.startswith(prefix) for k in sd):
            sd = {k[len(prefix):]: v for k, v in sd.items()}
    out = {}
    fixed = {"cls_token": "class_token", "pos_embed": "encoder.pos_embedding", "patch_embed.proj.weight": "conv_proj.weight",
             "patch_embed.proj.bias": "conv_proj.bias", "norm.weight": "encoder.ln.weight", "norm.bias": "encoder.ln.bias"}
    parts = {"norm1": "ln_1", "attn.qkv.weight": "self_attention.in_proj_weight", "attn.qkv.bias": "self_attention.in_proj_bias",
             "attn.proj": "self_attention.out_proj", "norm2": "ln_2", "mlp.fc1": "mlp.0", "mlp.fc2": "mlp.3"}
    for k, v in sd.items():
        if k in fixed:
            out[fixed[k]] = v
        elif k.startswith("blocks."):
            _, i, rest = k.split(".", 2)
            for a, b in parts.items():
                if rest.startswith(a):
                    out[f"encoder.layers.encoder_layer_{i}.{b}{rest[len(a):]}"] = v
                    break
            else:
                raise SystemExit(f"unexpected checkpoint key {k}")
        elif not k.startswith(("head", "fc_norm", "pre_logits")):
            raise SystemExit(f"unexpected checkpoint key {k}")
    return out


def torchvision_to_timm(sd):
    """The inverse mapping, for --self-test."""
    inv = {}
    for k, v in sd.items():
        if k.startswith("heads."):
            continue
        k2 = (k.replace("class_token", "cls_token").replace("encoder.pos_embedding", "pos_embed").replace("conv_proj.", "patch_embed.proj.")
              .replace("encoder.ln.", "norm.").replace("encoder.layers.encoder_layer_", "blocks.").replace("ln_1", "norm1")
              .replace("self_attention.in_proj_weight", "attn.qkv.weight").replace("self_attention.in_proj_bias", "attn.qkv.bias")
              .replace("self_attention.out_proj", "attn.proj").replace("ln_2", "norm2").replace("mlp.0", "mlp.fc1").replace("mlp.3", "mlp.fc2"))
        inv["module." + k2] = v
    return inv


def self_test():
    torch.manual_seed(1)
    ref = torchvision_vit("timm-vit-s16").eval()
    copy = torchvision_vit("timm-vit-s16").eval()
    copy.load_state_dict(timm_to_torchvision(torchvision_to_timm(ref.state_dict())), strict=False)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        diff = (VitTokens(ref)(x) - VitTokens(copy)(x)).abs().max().item()
    print(f"self-test: timm-style round trip through the ViT key mapping, max |difference| {diff:.2e}")
    # the presets against the official transforms written out as the DCR code writes them
    img = Image.fromarray((torch.rand(300, 420, 3) * 255).byte().numpy())
    official = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                   transforms.Normalize([0.5], [0.5])])                       # diff_retrieval.py
    search = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                 transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])  # embedding_search/utils.py
    preset_diff = max((transform(*preprocessing(CATALOG["sscd-disc-mixup"], name))(img) - ref_tf(img)).abs().max().item()
                      for name, ref_tf in (("official-code", official), ("embedding-search", search)))
    print(f"self-test: official-code and embedding-search presets against the official transforms, max |difference| {preset_diff:.2e}")
    return 0 if diff == 0 and preset_diff == 0 else 1


def build(name, spec, weights, random_weights):
    arch = spec["arch"]
    if arch == "torchscript":
        if not weights:
            sys.exit(f"{name}: pass --weights with the TorchScript file (e.g. sscd_disc_mixup.torchscript.pt)")
        return torch.jit.load(weights, map_location="cpu")
    if arch in VIT_SHAPES:
        if not weights:
            sys.exit(f"{name}: pass --weights with the checkpoint (timm-style ViT keys)")
        ckpt = torch.load(weights, map_location="cpu")
        sd = ckpt.get("state_dict", ckpt.get("model", ckpt)) if isinstance(ckpt, dict) else ckpt
        vit = torchvision_vit(arch)
        missing, _ = vit.load_state_dict(timm_to_torchvision(sd), strict=False)
        missing = [m for m in missing if not m.startswith("heads.")]
        if missing:
            sys.exit(f"{name}: {weights} lacks {len(missing)} weights, e.g. {missing[:3]}")
        return VitTokens(vit) if spec["kind"] == "tokens" else VitCls(vit)
    if weights and arch == "clip-vitb16":
        return load_clip(weights)
    if weights and arch == "swin-b":
        net = torchvision.models.swin_b()
        net.load_state_dict(torch.load(weights, map_location="cpu"))
        return Pooled(net)
    if weights and arch == "resnet50":
        ckpt = torch.load(weights, map_location="cpu")
        sd = strip_prefixes(ckpt.get("state_dict", ckpt.get("model_state", ckpt)) if isinstance(ckpt, dict) else ckpt)
        net = torchvision.models.resnet50()
        missing, _ = net.load_state_dict(sd, strict=False)
        missing = [m for m in missing if not m.startswith("fc.")]
        if missing:
            sys.exit(f"{name}: {weights} lacks {len(missing)} ResNet-50 weights after prefix stripping, e.g. {missing[:3]}")
        return GemPooled(net) if spec.get("pool") == "gem3" else Pooled(net)
    if weights:
        sys.exit(f"{name}: loading '{arch}' checkpoints is not implemented yet; only --random-weights exports this architecture")
    if not random_weights:
        sys.exit(f"{name}: pass --weights FILE or --random-weights")
    torch.manual_seed(0)
    if arch == "resnet50":
        return GemPooled(torchvision.models.resnet50()) if spec.get("pool") == "gem3" else Pooled(torchvision.models.resnet50())
    if arch == "clip-vitb16":
        return ClipVisual()
    if arch == "swin-b":
        return Pooled(torchvision.models.swin_b())
    if arch == "vit-b16":
        return VitTokens(torchvision.models.vit_b_16())
    if arch == "tiny-vit":
        from torchvision.models.vision_transformer import VisionTransformer
        return VitTokens(VisionTransformer(image_size=32, patch_size=16, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32))
    sys.exit(f"{name}: architecture '{arch}' needs its own weights and loader, not implemented yet")


def transform(resize, crop, interpolation, norm):
    mode = transforms.InterpolationMode.BICUBIC if interpolation == "bicubic" else transforms.InterpolationMode.BILINEAR
    return transforms.Compose([transforms.Resize(resize, interpolation=mode), transforms.CenterCrop(crop),
                               transforms.ToTensor(), transforms.Normalize(*norm)])


def preprocessing(spec, preset):
    """The (resize, crop, interpolation, (mean, std)) of a preset for a catalog entry."""
    if preset == "authors":
        return spec["authors"]
    if spec.get("authors_only"):
        sys.exit(f"--preprocessing {preset}: this model takes {spec['authors'][1]} px input; only 'authors' applies")
    return OFFICIAL_CODE if preset == "official-code" else EMBEDDING_SEARCH


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    if "--self-test" in sys.argv:
        return self_test()
    ap.add_argument("model", choices=sorted(CATALOG))
    ap.add_argument("--weights")
    ap.add_argument("--random-weights", action="store_true")
    ap.add_argument("--preprocessing", choices=PRESETS, default="official-code",
                    help="official-code (DCR diff_retrieval.py), embedding-search (DCR embedding_search/utils.py) or authors")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo"))
    ap.add_argument("--check-images", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "demo-sources", "photos"))
    ap.add_argument("--opset", type=int, default=14)
    a = ap.parse_args()

    spec = CATALOG[a.model]
    resize, crop, interpolation, (mean, std) = preprocessing(spec, a.preprocessing)
    net = build(a.model, spec, a.weights, a.random_weights).eval()
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, a.model + ".onnx")
    output = "tokens" if spec["kind"] == "tokens" else "embedding"
    # no torch.no_grad() here: under it PyTorch takes a fused attention path that ONNX export does not support
    if True:
        torch.onnx.export(net, torch.randn(2, 3, crop, crop), onnx_path, input_names=["image"], output_names=[output],
                          dynamic_axes={"image": {0: "batch"}, output: {0: "batch"}}, opset_version=a.opset)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    card = {
        "name": a.model + ("-random" if a.random_weights else ""),
        "onnx": a.model + ".onnx",
        "sha256": sha,
        "input": {"name": "image", "size": crop, "resize": resize, "interpolation": interpolation, "mean": mean, "std": std, "scale": 1.0},
        "output": {"name": output, "kind": spec["kind"]},
        "dim": spec["dim"],
        "source": spec["source"] + (" (random weights)" if a.random_weights else "") + f"; preprocessing: {a.preprocessing}",
        "license": spec["license"],
    }
    with open(os.path.join(a.out, a.model + ".json"), "w") as f:
        json.dump(card, f, indent=2)

    # PyTorch reference outputs on a few real images, for `check-model`
    check = os.path.join(a.out, a.model + ".check")
    os.makedirs(check, exist_ok=True)
    tf = transform(resize, crop, interpolation, (mean, std))
    images = sorted(f for f in os.listdir(a.check_images) if f.lower().endswith((".png", ".jpg")))[:3]
    entries = []
    with torch.no_grad():
        for name in images:
            with open(os.path.join(a.check_images, name), "rb") as src, open(os.path.join(check, name), "wb") as dst:
                dst.write(src.read())
            out = net(tf(Image.open(os.path.join(check, name)).convert("RGB")).unsqueeze(0))[0].numpy().astype(np.float32)
            ref = os.path.splitext(name)[0] + ".npy"
            np.save(os.path.join(check, ref), out.reshape(1, -1))
            entries.append({"image": name, "reference": ref})
    with open(os.path.join(check, "check.json"), "w") as f:
        json.dump(entries, f, indent=2)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), its card and {len(entries)} reference outputs")


if __name__ == "__main__":
    main()
