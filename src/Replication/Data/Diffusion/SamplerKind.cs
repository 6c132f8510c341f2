namespace Replication.Data.Diffusion;

public enum SamplerKind
{
    /// <summary>Ancestral DDPM sampling over every training step (diffusers' DDPMScheduler).</summary>
    Ddpm,

    /// <summary>DDIM over a subset of steps with stochasticity η (diffusers' DDIMScheduler, 'leading' spacing).</summary>
    Ddim,
}
