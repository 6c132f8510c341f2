namespace Replication.Data.Diffusion;

/// <summary>How to sample: <see cref="SamplerKind.Ddpm"/> always takes every training step; DDIM takes <see cref="Steps"/>
/// steps with stochasticity <see cref="Eta"/> (0: deterministic). <see cref="GuidanceScale"/> s ≠ 1 applies classifier-free
/// guidance, ε = ε(∅) + s · (ε(c) − ε(∅)) (diffusers' formula), to a class-conditional denoiser trained with a null class.</summary>
public sealed record SamplerSettings(SamplerKind Kind, int Steps, double Eta = 0, double GuidanceScale = 1)
{
    public bool Guided => GuidanceScale != 1;

    /// <summary>The network's 0-based timesteps, first to last.</summary>
    public int[] Timesteps(int trainSteps) => Kind == SamplerKind.Ddpm
        ? Enumerable.Range(0, trainSteps).Reverse().ToArray()
        : DdimTimesteps(trainSteps, Steps);

    /// <summary>diffusers' 'leading' spacing: t = i · ⌊T / S⌋ for i = S − 1 … 0.</summary>
    public static int[] DdimTimesteps(int trainSteps, int steps)
    {
        if (steps < 1 || steps > trainSteps) throw new ArgumentOutOfRangeException(nameof(steps), $"DDIM steps must be in 1..{trainSteps}");
        int ratio = trainSteps / steps;
        return Enumerable.Range(0, steps).Reverse().Select(i => i * ratio).ToArray();
    }

    public override string ToString() => (Kind == SamplerKind.Ddpm ? "DDPM (ancestral, every step)" : $"DDIM {Steps} steps, η = {Eta}") +
                                         (Guided ? $", guidance {GuidanceScale}" : "");
}
