"""A UNet whose parameter names, layout and forward pass follow HuggingFace diffusers' `UNet2DModel`.

Only PyTorch is needed (Debian 12 ships no diffusers). A diffusers checkpoint (`config.json` plus
`diffusion_pytorch_model.bin`) loads into it with `load_diffusers_checkpoint`; both attention layouts are
accepted: the current one (`to_q`, `to_k`, `to_v`, `to_out.0`) and the old one (`query`, `key`, `value`,
`proj_attn`) found in early checkpoints such as google/ddpm-celebahq-256.

Supported block types: DownBlock2D, AttnDownBlock2D, UpBlock2D, AttnUpBlock2D (what diffusers' unconditional
DDPMs use), positional time embedding, optional class embedding (`num_class_embeds`), default
(additive) time conditioning. Anything else in a config is refused by name.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class UNetConfig:
    """The subset of diffusers' UNet2DModel config this module implements, with diffusers' names and defaults."""
    sample_size: int = 32
    in_channels: int = 3
    out_channels: int = 3
    center_input_sample: bool = False
    time_embedding_type: str = "positional"
    freq_shift: int = 0
    flip_sin_to_cos: bool = True
    down_block_types: tuple = ("DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D")
    up_block_types: tuple = ("AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D")
    block_out_channels: tuple = (224, 448, 672, 896)
    layers_per_block: int = 2
    mid_block_scale_factor: float = 1.0
    downsample_padding: int = 1
    act_fn: str = "silu"
    attention_head_dim: Optional[int] = 8
    norm_num_groups: int = 32
    norm_eps: float = 1e-5
    resnet_time_scale_shift: str = "default"
    add_attention: bool = True
    num_class_embeds: Optional[int] = None
    class_embed_type: Optional[str] = None
    dropout: float = 0.0
    time_embedding_dim: Optional[int] = None
    mid_block_type: Optional[str] = "UNetMidBlock2D"
    attn_norm_num_groups: Optional[int] = None

    # keys of diffusers configs that do not change the network (or that we check elsewhere)
    _IGNORED = {"_class_name", "_diffusers_version", "_name_or_path", "downsample_type", "upsample_type",
                "num_train_timesteps"}

    @staticmethod
    def from_dict(d: dict) -> "UNetConfig":
        known = {f.name for f in fields(UNetConfig)}
        unknown = [k for k in d if k not in known and k not in UNetConfig._IGNORED]
        if unknown:
            raise ValueError(f"config keys not supported by this UNet: {', '.join(sorted(unknown))}")
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in known}
        c = UNetConfig(**values)
        c.check()
        return c

    def to_dict(self) -> dict:
        return {f.name: (list(getattr(self, f.name)) if isinstance(getattr(self, f.name), tuple) else getattr(self, f.name))
                for f in fields(self)}

    def check(self) -> None:
        def refuse(what: str) -> None:
            raise ValueError(f"unsupported UNet config: {what}")
        if self.time_embedding_type != "positional": refuse(f"time_embedding_type {self.time_embedding_type!r} (only 'positional')")
        if self.act_fn != "silu": refuse(f"act_fn {self.act_fn!r} (only 'silu')")
        if self.resnet_time_scale_shift != "default": refuse(f"resnet_time_scale_shift {self.resnet_time_scale_shift!r}")
        if self.class_embed_type is not None: refuse(f"class_embed_type {self.class_embed_type!r} (only the default embedding table)")
        if self.mid_block_type not in (None, "UNetMidBlock2D"): refuse(f"mid_block_type {self.mid_block_type!r} (only 'UNetMidBlock2D')")
        if self.mid_block_type is None: refuse("mid_block_type null (a UNet without a middle block)")
        if self.attn_norm_num_groups not in (None, self.norm_num_groups):
            refuse(f"attn_norm_num_groups {self.attn_norm_num_groups} (only null or equal to norm_num_groups)")
        if len(self.down_block_types) != len(self.block_out_channels) or len(self.up_block_types) != len(self.block_out_channels):
            refuse("down_block_types, up_block_types and block_out_channels must have the same length")
        for t in self.down_block_types:
            if t not in ("DownBlock2D", "AttnDownBlock2D"): refuse(f"down block {t!r}")
        for t in self.up_block_types:
            if t not in ("UpBlock2D", "AttnUpBlock2D"): refuse(f"up block {t!r}")
        for c in self.block_out_channels:
            if c % self.norm_num_groups: refuse(f"channels {c} not divisible by norm_num_groups {self.norm_num_groups}")


def timestep_embedding(timesteps: torch.Tensor, dim: int, flip_sin_to_cos: bool, shift: float, max_period: float = 10000) -> torch.Tensor:
    """Sinusoidal embedding as diffusers' `get_timestep_embedding`: frequencies exp(-ln(max_period) i / (half - shift))."""
    half = dim // 2
    exponent = -math.log(max_period) * torch.arange(half, dtype=torch.float32, device=timesteps.device) / (half - shift)
    args = timesteps[:, None].float() * torch.exp(exponent)[None, :]
    emb = torch.cat([torch.sin(args), torch.cos(args)], dim=-1)
    if flip_sin_to_cos:
        emb = torch.cat([emb[:, half:], emb[:, :half]], dim=-1)
    if dim % 2 == 1:
        emb = F.pad(emb, (0, 1))
    return emb


class TimestepEmbedding(nn.Module):
    def __init__(self, in_dim: int, dim: int):
        super().__init__()
        self.linear_1 = nn.Linear(in_dim, dim)
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, x):
        return self.linear_2(F.silu(self.linear_1(x)))


class ResnetBlock2D(nn.Module):
    def __init__(self, cin: int, cout: int, temb: int, groups: int, eps: float, scale: float = 1.0, dropout: float = 0.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None
        self.scale = scale

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        if self.conv_shortcut is not None:
            x = self.conv_shortcut(x)
        return (x + h) / self.scale


class Attention(nn.Module):
    """Self-attention over the spatial positions with a group norm and a residual (diffusers' deprecated attention block)."""

    def __init__(self, channels: int, head_dim: int, groups: int, eps: float, scale: float = 1.0):
        super().__init__()
        self.heads = channels // head_dim
        self.head_dim = head_dim
        self.group_norm = nn.GroupNorm(groups, channels, eps=eps)
        self.to_q = nn.Linear(channels, channels)
        self.to_k = nn.Linear(channels, channels)
        self.to_v = nn.Linear(channels, channels)
        self.to_out = nn.ModuleList([nn.Linear(channels, channels), nn.Dropout(0.0)])
        self.scale = scale

    def forward(self, x):
        b, c, h, w = x.shape
        residual = x
        y = self.group_norm(x).view(b, c, h * w).transpose(1, 2)
        q, k, v = (t.view(b, h * w, self.heads, self.head_dim).transpose(1, 2) for t in (self.to_q(y), self.to_k(y), self.to_v(y)))
        weights = torch.softmax((q @ k.transpose(-1, -2)) * self.head_dim ** -0.5, dim=-1)
        y = (weights @ v).transpose(1, 2).reshape(b, h * w, c)
        y = self.to_out[1](self.to_out[0](y))
        y = y.transpose(1, 2).reshape(b, c, h, w)
        return (y + residual) / self.scale


class Downsample2D(nn.Module):
    def __init__(self, channels: int, padding: int):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=padding)

    def forward(self, x):
        if self.padding == 0:
            x = F.pad(x, (0, 1, 0, 1))
        return self.conv(x)


class Upsample2D(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class DownBlock(nn.Module):
    def __init__(self, kind: str, layers: int, cin: int, cout: int, temb: int, c: UNetConfig, add_downsample: bool):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(cin if i == 0 else cout, cout, temb, c.norm_num_groups, c.norm_eps, dropout=c.dropout)
                                      for i in range(layers)])
        head_dim = c.attention_head_dim if c.attention_head_dim is not None else cout
        self.attentions = nn.ModuleList([Attention(cout, head_dim, c.norm_num_groups, c.norm_eps) for _ in range(layers)]) \
            if kind == "AttnDownBlock2D" else None
        self.downsamplers = nn.ModuleList([Downsample2D(cout, c.downsample_padding)]) if add_downsample else None

    def forward(self, x, temb):
        outputs = []
        for i, resnet in enumerate(self.resnets):
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x)
            outputs.append(x)
        if self.downsamplers is not None:
            x = self.downsamplers[0](x)
            outputs.append(x)
        return x, outputs


class UpBlock(nn.Module):
    def __init__(self, kind: str, layers: int, cin: int, cprev: int, cout: int, temb: int, c: UNetConfig, add_upsample: bool):
        super().__init__()
        resnets = []
        for i in range(layers):
            skip = cin if i == layers - 1 else cout
            first = cprev if i == 0 else cout
            resnets.append(ResnetBlock2D(first + skip, cout, temb, c.norm_num_groups, c.norm_eps, dropout=c.dropout))
        self.resnets = nn.ModuleList(resnets)
        head_dim = c.attention_head_dim if c.attention_head_dim is not None else cout
        self.attentions = nn.ModuleList([Attention(cout, head_dim, c.norm_num_groups, c.norm_eps) for _ in range(layers)]) \
            if kind == "AttnUpBlock2D" else None
        self.upsamplers = nn.ModuleList([Upsample2D(cout)]) if add_upsample else None

    def forward(self, x, skips, temb):
        for i, resnet in enumerate(self.resnets):
            x = resnet(torch.cat([x, skips.pop()], dim=1), temb)
            if self.attentions is not None:
                x = self.attentions[i](x)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x)
        return x


class MidBlock(nn.Module):
    def __init__(self, ch: int, temb: int, c: UNetConfig):
        super().__init__()
        s = c.mid_block_scale_factor
        self.resnets = nn.ModuleList([ResnetBlock2D(ch, ch, temb, c.norm_num_groups, c.norm_eps, s, c.dropout),
                                      ResnetBlock2D(ch, ch, temb, c.norm_num_groups, c.norm_eps, s, c.dropout)])
        head_dim = c.attention_head_dim if c.attention_head_dim is not None else ch
        self.attentions = nn.ModuleList([Attention(ch, head_dim, c.norm_num_groups, c.norm_eps, s)]) if c.add_attention else None

    def forward(self, x, temb):
        x = self.resnets[0](x, temb)
        if self.attentions is not None:
            x = self.attentions[0](x)
        return self.resnets[1](x, temb)


class UNet2DModel(nn.Module):
    """ε-prediction UNet with diffusers' UNet2DModel parameter names: forward(sample, timestep[, class_labels])."""

    def __init__(self, config: UNetConfig):
        super().__init__()
        config.check()
        self.config = config
        c = config
        ch = list(c.block_out_channels)
        temb = c.time_embedding_dim or ch[0] * 4
        self.conv_in = nn.Conv2d(c.in_channels, ch[0], 3, padding=1)
        self.time_embedding = TimestepEmbedding(ch[0], temb)
        self.class_embedding = nn.Embedding(c.num_class_embeds, temb) if c.num_class_embeds is not None else None
        self.down_blocks = nn.ModuleList()
        out = ch[0]
        for i, kind in enumerate(c.down_block_types):
            cin, out = out, ch[i]
            self.down_blocks.append(DownBlock(kind, c.layers_per_block, cin, out, temb, c, add_downsample=i < len(ch) - 1))
        self.mid_block = MidBlock(ch[-1], temb, c)
        rev = list(reversed(ch))
        self.up_blocks = nn.ModuleList()
        out = rev[0]
        for i, kind in enumerate(c.up_block_types):
            prev, out = out, rev[i]
            cin = rev[min(i + 1, len(ch) - 1)]
            self.up_blocks.append(UpBlock(kind, c.layers_per_block + 1, cin, prev, out, temb, c, add_upsample=i < len(ch) - 1))
        self.conv_norm_out = nn.GroupNorm(c.norm_num_groups, ch[0], eps=c.norm_eps)
        self.conv_out = nn.Conv2d(ch[0], c.out_channels, 3, padding=1)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, class_labels: Optional[torch.Tensor] = None) -> torch.Tensor:
        c = self.config
        if c.center_input_sample:
            sample = 2 * sample - 1.0
        if timestep.dim() == 0:
            timestep = timestep[None]
        timestep = timestep.expand(sample.shape[0])
        emb = self.time_embedding(timestep_embedding(timestep, c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift))
        if self.class_embedding is not None:
            if class_labels is None:
                raise ValueError("this UNet is class-conditional: pass class_labels")
            emb = emb + self.class_embedding(class_labels)
        x = self.conv_in(sample)
        skips = [x]
        for block in self.down_blocks:
            x, outputs = block(x, emb)
            skips.extend(outputs)
        x = self.mid_block(x, emb)
        for block in self.up_blocks:
            x = block(x, skips, emb)
        return self.conv_out(F.silu(self.conv_norm_out(x)))


# Old diffusers attention names → current ones (diffusers renamed them when AttentionBlock became Attention).
_OLD_ATTENTION = {"query": "to_q", "key": "to_k", "value": "to_v", "proj_attn": "to_out.0"}


def convert_state_dict(state: dict) -> dict:
    """Maps the old attention layout (query/key/value/proj_attn) to the current one; other keys pass unchanged."""
    out = {}
    for key, value in state.items():
        parts = key.split(".")
        if "attentions" in parts and len(parts) >= 2 and parts[-2] in _OLD_ATTENTION:
            key = ".".join(parts[:-2] + [_OLD_ATTENTION[parts[-2]], parts[-1]])
            if value.dim() == 4 and value.shape[2:] == (1, 1):   # the oldest checkpoints stored 1×1 convolutions
                value = value[:, :, 0, 0]
        out[key] = value
    return out


def load_state_dict_checked(model: nn.Module, state: dict, source: str) -> None:
    """Loads `state` (either attention layout) into `model`, refusing with the first missing, unexpected or misshapen key."""
    state = convert_state_dict(state)
    own = model.state_dict()
    for key, value in own.items():
        if key not in state:
            raise ValueError(f"{source}: missing parameter {key} (shape {tuple(value.shape)})")
        if tuple(state[key].shape) != tuple(value.shape):
            raise ValueError(f"{source}: parameter {key} has shape {tuple(state[key].shape)}, the architecture needs {tuple(value.shape)}")
    for key in state:
        if key not in own:
            raise ValueError(f"{source}: unexpected parameter {key} (not in this architecture)")
    model.load_state_dict(state, strict=True)


def load_diffusers_checkpoint(folder: str) -> UNet2DModel:
    """Loads a diffusers UNet2DModel folder (config.json + diffusion_pytorch_model.bin, or a parent with unet/)."""
    import os
    if os.path.isdir(os.path.join(folder, "unet")):
        folder = os.path.join(folder, "unet")
    config_path = os.path.join(folder, "config.json")
    weights = os.path.join(folder, "diffusion_pytorch_model.bin")
    for path in (config_path, weights):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: not found (a diffusers UNet2DModel folder has config.json and diffusion_pytorch_model.bin;"
                                    " .safetensors cannot be read without the safetensors package)")
    with open(config_path) as f:
        config = UNetConfig.from_dict(json.load(f))
    model = UNet2DModel(config)
    load_state_dict_checked(model, torch.load(weights, map_location="cpu"), weights)
    return model
