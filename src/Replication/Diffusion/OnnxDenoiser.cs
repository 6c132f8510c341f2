using Microsoft.ML.OnnxRuntime;
using Replication.Compute;

namespace Replication.Diffusion;

/// <summary>Runs a <see cref="DenoiserCard"/>'s network: ε̂ = model(x_t, t).</summary>
public sealed class OnnxDenoiser : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    public OnnxDenoiser(DenoiserCard card, ComputeDevice device = ComputeDevice.Cpu) : this(card, card.ReadVerifiedModel(), device) { }

    public OnnxDenoiser(DenoiserCard card, byte[] model, ComputeDevice device = ComputeDevice.Cpu)
    {
        Card = card;
        Schedule = card.NoiseSchedule();
        (_session, _) = OrtSessionFactory.Create(model, device, card.Name);
        foreach (var name in new[] { card.SampleInput, card.TimestepInput })
            if (!_session.InputMetadata.ContainsKey(name))
                throw new InvalidDataException($"{card.CardPath}: the model has no input '{name}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)})");
        if (!_session.OutputMetadata.ContainsKey(card.Output))
            throw new InvalidDataException($"{card.CardPath}: the model has no output '{card.Output}'");
    }

    public DenoiserCard Card { get; }
    public NoiseSchedule Schedule { get; }
    public int Size => Card.ImageSize;

    /// <summary>Predicted noise for <paramref name="count"/> samples [count, 3, size, size] at 0-based step <paramref name="t"/>.</summary>
    public float[] PredictNoise(float[] x, int count, int t)
    {
        var steps = Enumerable.Repeat((long)t, count).ToArray();
        using var sample = OrtValue.CreateTensorValueFromMemory(x, [count, 3, Size, Size]);
        using var timestep = OrtValue.CreateTensorValueFromMemory(steps, [count]);
        using var outputs = _session.Run(_run, [Card.SampleInput, Card.TimestepInput], [sample, timestep], [Card.Output]);
        var eps = outputs[0].GetTensorDataAsSpan<float>();
        if (eps.Length != x.Length)
            throw new InvalidDataException($"{Card.CardPath}: output '{Card.Output}' has {eps.Length} values, expected {x.Length}");
        return eps.ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
