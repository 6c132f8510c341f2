"""Copy augmentations for training the descriptor: SSCD's "advanced" set (Pizzi et al. 2022, sscd/transforms/settings.py)
plus what copies made by small generative models look like. Every draw comes from the `random.Random` passed in, so a view
is a pure function of (image, seed).

SSCD advanced, in its order: h-flip p 0.5; rotate by 90/180/270 p 0.05; text overlay p 0.1 (size 0.1–0.3 of the image,
opacity 0.1–1, random colour and place); emoji overlay p 0.2 (size 0.1–0.5, opacity 0.7–1); free rotation p 0.05;
RandomResizedCrop(size) with torchvision's defaults (scale 0.08–1, ratio 3/4–4/3); colour jitter (0.8, 0.8, 0.8, 0.2) p 0.8;
greyscale p 0.2; Gaussian blur radius 1–5 p 0.5; JPEG quality 0–100 p 0.2.
Ours, added: paste into another image (the copy scaled to 30–90% of a background from the training pool or a generated
gradient, through its alpha mask when it has one) p 0.15, before the crop; low resolution (down to 32–64 px and back up,
bilinear or nearest) p 0.2 and a DDPM-style view (a centre or random crop of 7/8, the model's training flip) inside it, after
the crop. Mixup/cutmix across the batch (p 0.05, as `disc_mixup`) is applied in train.py on tensors.
"""
from __future__ import annotations

import io
import math
import random
import string

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

TEXT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_font_cache: dict[int, ImageFont.FreeTypeFont] = {}


def _font(size: int):
    size = max(6, min(size, 200))
    if size not in _font_cache:
        try:
            _font_cache[size] = ImageFont.truetype(TEXT_FONT, size)
        except OSError:
            _font_cache[size] = ImageFont.load_default()
    return _font_cache[size]


def on_white(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im
    im = im.convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return Image.alpha_composite(bg, im).convert("RGB")


def overlay_text(im: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    size = int(rng.uniform(0.1, 0.3) * h)
    text = "".join(rng.choice(string.ascii_letters + string.digits + "  ") for _ in range(rng.randint(3, 12)))
    opacity = rng.uniform(0.1, 1.0)
    colour = tuple(rng.randint(0, 255) for _ in range(3)) + (int(255 * opacity),)
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((rng.uniform(0, 1) * w * 0.9, rng.uniform(0, 1) * h * 0.9), text, font=_font(size), fill=colour)
    return Image.alpha_composite(im.convert("RGBA"), layer).convert("RGB")


def overlay_emoji(im: Image.Image, emoji: Image.Image, rng: random.Random) -> Image.Image:
    w, h = im.size
    s = max(4, int(rng.uniform(0.1, 0.5) * min(w, h)))
    e = emoji.convert("RGBA").resize((s, max(4, int(s * emoji.height / emoji.width))), Image.BILINEAR)
    opacity = rng.uniform(0.7, 1.0)
    alpha = e.getchannel("A").point(lambda a: int(a * opacity))
    e.putalpha(alpha)
    out = im.convert("RGBA")
    out.alpha_composite(e, (int(rng.uniform(0, 1) * max(1, w - e.width)), int(rng.uniform(0, 1) * max(1, h - e.height))))
    return out.convert("RGB")


def gradient(rng: random.Random, size: int = 160) -> Image.Image:
    a = tuple(rng.randint(0, 255) for _ in range(3))
    b = tuple(rng.randint(0, 255) for _ in range(3))
    g = Image.linear_gradient("L").resize((size, size)).rotate(rng.uniform(0, 360))
    return Image.composite(Image.new("RGB", (size, size), a), Image.new("RGB", (size, size), b), g)


def paste_into(src_rgba: Image.Image, background: Image.Image, rng: random.Random) -> Image.Image:
    bg = background.convert("RGB").copy()
    bw, bh = bg.size
    scale = rng.uniform(0.3, 0.9)
    sw, sh = src_rgba.size
    f = scale * min(bw / sw, bh / sh)
    obj = src_rgba.convert("RGBA").resize((max(2, int(sw * f)), max(2, int(sh * f))), Image.BILINEAR)
    x = rng.randint(0, max(0, bw - obj.width))
    y = rng.randint(0, max(0, bh - obj.height))
    bg.paste(obj, (x, y), obj)
    return bg


def random_resized_crop(im: Image.Image, size: int, rng: random.Random, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)) -> Image.Image:
    """torchvision's RandomResizedCrop: 10 tries at an area in `scale` and log-uniform aspect `ratio`, else a centre crop."""
    w, h = im.size
    area = w * h
    for _ in range(10):
        target = area * rng.uniform(*scale)
        aspect = math.exp(rng.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw = int(round(math.sqrt(target * aspect)))
        ch = int(round(math.sqrt(target / aspect)))
        if 0 < cw <= w and 0 < ch <= h:
            x = rng.randint(0, w - cw)
            y = rng.randint(0, h - ch)
            return im.resize((size, size), Image.BILINEAR, box=(x, y, x + cw, y + ch))
    in_ratio = w / h
    if in_ratio < ratio[0]:
        cw, ch = w, int(round(w / ratio[0]))
    elif in_ratio > ratio[1]:
        ch, cw = h, int(round(h * ratio[1]))
    else:
        cw, ch = w, h
    x, y = (w - cw) // 2, (h - ch) // 2
    return im.resize((size, size), Image.BILINEAR, box=(x, y, x + cw, y + ch))


def colour_jitter(im: Image.Image, rng: random.Random, b=0.8, c=0.8, s=0.8, hue=0.2) -> Image.Image:
    ops = [0, 1, 2, 3]
    rng.shuffle(ops)
    for op in ops:
        if op == 0:
            im = ImageEnhance.Brightness(im).enhance(rng.uniform(1 - b, 1 + b))
        elif op == 1:
            im = ImageEnhance.Contrast(im).enhance(rng.uniform(1 - c, 1 + c))
        elif op == 2:
            im = ImageEnhance.Color(im).enhance(rng.uniform(1 - s, 1 + s))
        else:
            shift = int(rng.uniform(-hue, hue) * 255)
            if shift:
                hsv = im.convert("HSV")
                hh, ss, vv = hsv.split()
                hh = hh.point(lambda v: (v + shift) % 256)
                im = Image.merge("HSV", (hh, ss, vv)).convert("RGB")
    return im


def generative_view(im: Image.Image, size: int, rng: random.Random) -> Image.Image:
    """What a small DDPM's copy looks like: its training crop (7/8) and flip, at 32–64 px, shown at `size`."""
    w, h = im.size
    if rng.random() < 0.5:
        cw, ch = int(w * 7 / 8), int(h * 7 / 8)
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        im = im.crop((x, y, x + cw, y + ch))
    if rng.random() < 0.5:
        im = ImageOps.mirror(im)
    low = rng.randint(32, 64)
    im = im.resize((low, low), Image.BILINEAR)
    return im.resize((size, size), Image.NEAREST if rng.random() < 0.3 else Image.BILINEAR)


def copy_view(src_rgba: Image.Image, size: int, rng: random.Random, emoji: list, backgrounds: list) -> Image.Image:
    im = on_white(src_rgba)
    if rng.random() < 0.15:  # ours: pasted into another image
        bg = rng.choice(backgrounds) if backgrounds and rng.random() < 0.7 else gradient(rng)
        im = paste_into(src_rgba if src_rgba.mode == "RGBA" else im, on_white(bg), rng)
    if rng.random() < 0.5:
        im = ImageOps.mirror(im)
    if rng.random() < 0.05:
        im = im.rotate(rng.choice([90, 180, 270]), expand=True)
    if rng.random() < 0.1:
        im = overlay_text(im, rng)
    if emoji and rng.random() < 0.2:
        im = overlay_emoji(im, rng.choice(emoji), rng)
    if rng.random() < 0.05:
        im = im.rotate(rng.randint(0, 359), resample=Image.BILINEAR, expand=False, fillcolor=(255, 255, 255))
    im = random_resized_crop(im, size, rng)
    if rng.random() < 0.2:  # ours: a generative model's low-resolution copy
        im = generative_view(im, size, rng)
    if rng.random() < 0.8:
        im = colour_jitter(im, rng)
    if rng.random() < 0.2:
        im = ImageOps.grayscale(im).convert("RGB")
    if rng.random() < 0.5:
        im = im.filter(ImageFilter.GaussianBlur(rng.uniform(1, 5) * size / 224))
    if rng.random() < 0.2:
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=rng.randint(0, 100))
        buf.seek(0)
        im = Image.open(buf).convert("RGB")
    return im
