using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Replication.Core.Compute;

namespace Replication.Data.Diffusion;

/// <summary>Runs a <see cref="DenoiserCard"/>'s network: ε̂ = model(x_t, t[, class]). The card and the ONNX file are
/// checked against each other when it opens: input and output names, element types, and fixed dimensions.</summary>
public sealed class OnnxDenoiser : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run;

    public OnnxDenoiser(DenoiserCard card, ComputeDevice device = ComputeDevice.Cpu, int? threads = null) : this(card, card.ReadVerifiedModel(), device, threads) { }

    /// <param name="threads">ONNX Runtime intra-op threads (default: every core).</param>
    public OnnxDenoiser(DenoiserCard card, byte[] model, ComputeDevice device = ComputeDevice.Cpu, int? threads = null)
    {
        Card = card;
        Schedule = card.NoiseSchedule();
        (_session, _) = OrtSessionFactory.Create(model, device, card.Name, threads);
        _run = new RunOptions();
        try
        {
            CheckInput(card.SampleInput, TensorElementType.Float, [-1, 3, card.ImageSize, card.ImageSize]);
            CheckInput(card.TimestepInput, TensorElementType.Int64, [-1]);
            if (card.ClassInput is { } classInput) CheckInput(classInput, TensorElementType.Int64, [-1]);
            var extra = _session.InputMetadata.Keys.Except([card.SampleInput, card.TimestepInput, card.ClassInput]).ToList();
            if (extra.Count > 0)
                throw new InputDataException($"{card.CardPath}: the model has input{(extra.Count > 1 ? "s" : "")} {string.Join(", ", extra)} that the card does not name" +
                                               (card.ClassInput is null ? " (a class-conditional model needs classInput and classes on its card)" : ""));
            if (!_session.OutputMetadata.TryGetValue(card.Output, out var output))
                throw new InputDataException($"{card.CardPath}: the model has no output '{card.Output}' (outputs: {string.Join(", ", _session.OutputMetadata.Keys)})");
            if (output.ElementDataType != TensorElementType.Float)
                throw new InputDataException($"{card.CardPath}: output '{card.Output}' is {output.ElementDataType}, not float32");
        }
        catch
        {
            _session.Dispose();
            _run.Dispose();
            throw;
        }
    }

    private void CheckInput(string name, TensorElementType type, int[] dims)
    {
        if (!_session.InputMetadata.TryGetValue(name, out var meta))
            throw new InputDataException($"{Card.CardPath}: the model has no input '{name}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)})");
        if (meta.ElementDataType != type)
            throw new InputDataException($"{Card.CardPath}: input '{name}' is {meta.ElementDataType}, the card's interface needs {type}");
        if (meta.Dimensions.Length != dims.Length)
            throw new InputDataException($"{Card.CardPath}: input '{name}' has {meta.Dimensions.Length} dimensions, expected {dims.Length}");
        for (int i = 0; i < dims.Length; i++)
            if (dims[i] > 0 && meta.Dimensions[i] > 0 && meta.Dimensions[i] != dims[i])
                throw new InputDataException($"{Card.CardPath}: input '{name}' has size {meta.Dimensions[i]} in dimension {i}, the card says {dims[i]}" +
                                               (i >= 2 ? " (imageSize)" : ""));
    }

    public DenoiserCard Card { get; }
    public NoiseSchedule Schedule { get; }
    public int Size => Card.ImageSize;

    /// <summary>Values per sample: 3 · size · size.</summary>
    public int SampleLength => 3 * Size * Size;

    /// <summary>Predicted noise for <paramref name="count"/> samples [count, 3, size, size] at 0-based step <paramref name="t"/>.</summary>
    public float[] PredictNoise(float[] x, int count, int t, long[]? classes = null)
    {
        var result = new float[x.Length];
        PredictNoise(x, count, t, classes, result);
        return result;
    }

    /// <summary>As <see cref="PredictNoise(float[], int, int, long[])"/>, writing into <paramref name="eps"/>.</summary>
    public void PredictNoise(float[] x, int count, int t, long[]? classes, float[] eps)
    {
        if (x.Length != count * SampleLength) throw new ArgumentException($"x holds {x.Length} values, {count} samples need {count * SampleLength}", nameof(x));
        if (Card.Conditional != (classes is not null))
            throw new ArgumentException(Card.Conditional ? $"{Card.CardPath}: this denoiser is class-conditional: give a class per sample" : "this denoiser is unconditional: give no classes");
        if (classes is not null && classes.Length != count) throw new ArgumentException($"{classes.Length} classes for {count} samples", nameof(classes));
        var steps = new long[count];
        Array.Fill(steps, t);
        using var sample = OrtValue.CreateTensorValueFromMemory(x, [count, 3, Size, Size]);
        using var timestep = OrtValue.CreateTensorValueFromMemory(steps, [count]);
        using var label = classes is null ? null : OrtValue.CreateTensorValueFromMemory(classes, [count]);
        string[] names = label is null ? [Card.SampleInput, Card.TimestepInput] : [Card.SampleInput, Card.TimestepInput, Card.ClassInput!];
        OrtValue[] values = label is null ? [sample, timestep] : [sample, timestep, label];
        using var outputs = _session.Run(_run, names, values, [Card.Output]);
        var result = outputs[0].GetTensorDataAsSpan<float>();
        if (result.Length != x.Length)
            throw new InputDataException($"{Card.CardPath}: output '{Card.Output}' has {result.Length} values, expected {x.Length}");
        result.CopyTo(eps);
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
