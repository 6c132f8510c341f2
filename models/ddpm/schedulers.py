"""DDPM and DDIM sampling in PyTorch, with the formulas of diffusers' DDPMScheduler (variance 'fixed_small', x̂₀ clipped
to [−1, 1]) and DDIMScheduler ('leading' timestep spacing, set_alpha_to_one, ε not recomputed after clipping).

This is the reference the C# samplers (src/Replication/Data/Diffusion) are tested against, and the PyTorch peer of
`replication bench`'s sampling case. Noise can come from a file so that both sides start from the same values.
"""
from __future__ import annotations

import torch


def linear_alphas_cumprod(steps: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """ᾱ_t for DDPM's linear β schedule, in float64 (the C# side uses doubles too)."""
    betas = torch.linspace(beta_start, beta_end, steps, dtype=torch.float64)
    return torch.cumprod(1 - betas, dim=0)


def ddim_timesteps(train_steps: int, steps: int) -> list[int]:
    """diffusers' 'leading' spacing: t = i · (T // S) for i = S−1 … 0."""
    if not 1 <= steps <= train_steps:
        raise ValueError(f"steps must be in 1..{train_steps}, got {steps}")
    ratio = train_steps // steps
    return [i * ratio for i in reversed(range(steps))]


def ddpm_step(x: torch.Tensor, eps: torch.Tensor, t: int, ac: torch.Tensor, noise: torch.Tensor | None, clip: bool = True) -> torch.Tensor:
    a_t = ac[t].item()
    a_prev = ac[t - 1].item() if t > 0 else 1.0
    beta_t = 1 - a_t / a_prev
    x0 = (x - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
    if clip:
        x0 = x0.clamp(-1, 1)
    mean = (a_prev ** 0.5 * beta_t / (1 - a_t)) * x0 + ((1 - beta_t) ** 0.5 * (1 - a_prev) / (1 - a_t)) * x
    if t > 0:
        variance = max((1 - a_prev) / (1 - a_t) * beta_t, 1e-20)
        mean = mean + variance ** 0.5 * noise
    return mean


def ddim_step(x: torch.Tensor, eps: torch.Tensor, t: int, t_prev: int, ac: torch.Tensor, eta: float,
              noise: torch.Tensor | None, clip: bool = True) -> torch.Tensor:
    a_t = ac[t].item()
    a_prev = ac[t_prev].item() if t_prev >= 0 else 1.0
    x0 = (x - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
    if clip:
        x0 = x0.clamp(-1, 1)
    variance = (1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)
    std = eta * variance ** 0.5
    out = a_prev ** 0.5 * x0 + (1 - a_prev - std ** 2) ** 0.5 * eps
    if eta > 0:
        out = out + std * noise
    return out


@torch.no_grad()
def sample(model, x: torch.Tensor, steps: int, eta: float = 0.0, ddpm: bool = False, generator: torch.Generator | None = None,
           class_labels: torch.Tensor | None = None, train_steps: int = 1000, clip: bool = True,
           guidance_scale: float = 1.0, null_class: int | None = None) -> torch.Tensor:
    """Runs the reverse process from x_T = `x`; `ddpm` selects ancestral sampling over all `train_steps` steps.
    With `guidance_scale` ≠ 1 (classifier-free guidance): ε = ε(∅) + s · (ε(c) − ε(∅)), ∅ being `null_class`."""
    ac = linear_alphas_cumprod(train_steps)
    ts = list(reversed(range(train_steps))) if ddpm else ddim_timesteps(train_steps, steps)
    ratio = train_steps // steps if not ddpm else 1
    for t in ts:
        tt = torch.full((x.shape[0],), t, dtype=torch.long)
        eps = model(x, tt) if class_labels is None else model(x, tt, class_labels)
        if guidance_scale != 1.0:
            if class_labels is None or null_class is None:
                raise ValueError("guidance needs class labels and a null class")
            uncond = model(x, tt, torch.full_like(class_labels, null_class))
            eps = uncond + guidance_scale * (eps - uncond)
        stochastic = (ddpm and t > 0) or (not ddpm and eta > 0)
        noise = torch.randn(x.shape, generator=generator) if stochastic else None
        x = ddpm_step(x, eps, t, ac, noise, clip) if ddpm else ddim_step(x, eps, t, t - ratio, ac, eta, noise, clip)
    return x
