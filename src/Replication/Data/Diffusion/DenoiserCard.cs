using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Data.Diffusion;

/// <summary>
/// A DDPM noise-prediction network exported to ONNX: inputs <see cref="SampleInput"/> [batch, 3, size, size] in
/// [−1, 1], <see cref="TimestepInput"/> [batch] (int64, 0-based step) and, for a class-conditional model,
/// <see cref="ClassInput"/> [batch] (int64 index into <see cref="Classes"/>); output ε̂ of the same shape as the sample.
/// What sampling needs is stated on the card: <see cref="PredictionType"/>, <see cref="VarianceType"/>,
/// <see cref="ClipSample"/>, <see cref="Ema"/>. Documented in models/README.md.
/// </summary>
public sealed record DenoiserCard
{
    public required string Name { get; init; }
    public required string Onnx { get; init; }
    public required string Sha256 { get; init; }
    public required int ImageSize { get; init; }
    public string SampleInput { get; init; } = "sample";
    public string TimestepInput { get; init; } = "timestep";
    public string Output { get; init; } = "noise";

    /// <summary><c>linear</c> or <c>cosine</c>.</summary>
    public string Schedule { get; init; } = "linear";
    public int Steps { get; init; } = 1000;
    /// <summary>What the network predicts: only <c>epsilon</c> (diffusers' default) is supported.</summary>
    public string PredictionType { get; init; } = "epsilon";

    /// <summary>The ancestral step's variance: <c>fixed_small</c> (β̃_t, diffusers' DDPMScheduler default) or <c>fixed_large</c> (β_t).</summary>
    public string VarianceType { get; init; } = "fixed_small";

    /// <summary>Whether x̂₀ is clipped to [−1, 1] before each step (diffusers' default).</summary>
    public bool ClipSample { get; init; } = true;

    /// <summary>Whether the exported weights are the EMA ones (recorded, not used).</summary>
    public bool? Ema { get; init; }

    /// <summary>The class input of a class-conditional model (null: unconditional).</summary>
    public string? ClassInput { get; init; }

    /// <summary>The class names, in the order of their indices (required with <see cref="ClassInput"/>).</summary>
    public string[]? Classes { get; init; }

    /// <summary>The class index the network was trained to read as "no class" (classifier-free guidance); null: no guidance.</summary>
    public int? NullClass { get; init; }

    /// <summary>The classifier-free guidance scale chosen for this denoiser by measurement (<c>guidance</c> command), or null.</summary>
    public double? Guidance { get; init; }

    /// <summary>Free-form training record (preset, steps, images) written by train_ddpm.py.</summary>
    public JsonElement? Training { get; init; }

    public string Source { get; init; } = "";
    public string License { get; init; } = "";

    [JsonIgnore] public string BaseDirectory { get; init; } = "";
    [JsonIgnore] public string CardPath { get; init; } = "";

    public NoiseSchedule NoiseSchedule() => Schedule switch
    {
        "linear" => Replication.Data.Diffusion.NoiseSchedule.Linear(Steps),
        "cosine" => Replication.Data.Diffusion.NoiseSchedule.Cosine(Steps),
        _ => throw new InputDataException($"{CardPath}: schedule must be linear or cosine, not '{Schedule}'"),
    };

    public static DenoiserCard Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: denoiser card not found", path);
        DenoiserCard? card;
        try { card = JsonSerializer.Deserialize<DenoiserCard>(File.ReadAllText(path), Replication.Embeddings.ModelCard.Json); }
        catch (JsonException e) { throw new InputDataException($"{path}: not a valid denoiser card: {e.Message}", e); }
        if (card is null) throw new InputDataException($"{path}: empty denoiser card");
        card = card with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!, CardPath = path };
        // required text fields present (JSON null gets past `required`), sizes within what a machine can hold
        foreach (var (field, value) in new[] { ("name", card.Name), ("onnx", card.Onnx), ("sha256", card.Sha256), ("sampleInput", card.SampleInput), ("timestepInput", card.TimestepInput), ("output", card.Output) })
            if (string.IsNullOrWhiteSpace(value)) throw new InputDataException($"{path}: '{field}' is missing or empty");
        if (card.ImageSize <= 0 || card.Steps <= 0) throw new InputDataException($"{path}: imageSize and steps must be positive");
        if (card.ImageSize > MaxImageSize) throw new InputDataException($"{path}: imageSize {card.ImageSize} is above {MaxImageSize}");
        if (card.Steps > MaxSteps) throw new InputDataException($"{path}: steps {card.Steps} is above {MaxSteps} (the noise schedule is held in memory)");
        if (card.Classes is { Length: > MaxClasses }) throw new InputDataException($"{path}: {card.Classes.Length} classes, more than {MaxClasses}");
        if (card.Classes is { } names && names.Any(string.IsNullOrWhiteSpace))
            throw new InputDataException($"{path}: a class name is empty");
        string onnx = Path.GetFullPath(Path.Combine(card.BaseDirectory, card.Onnx));
        if (!onnx.StartsWith(Path.TrimEndingDirectorySeparator(card.BaseDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InputDataException($"{path}: onnx '{card.Onnx}' leads outside the card's folder");
        _ = card.NoiseSchedule();
        if (card.PredictionType != "epsilon")
            throw new InputDataException($"{path}: predictionType '{card.PredictionType}' is not supported (only epsilon)");
        if (card.VarianceType is not ("fixed_small" or "fixed_large"))
            throw new InputDataException($"{path}: varianceType must be fixed_small or fixed_large, not '{card.VarianceType}'");
        if (card.ClassInput is not null && (card.Classes is null || card.Classes.Length == 0))
            throw new InputDataException($"{path}: classInput '{card.ClassInput}' needs a non-empty classes list");
        if (card.ClassInput is null && card.Classes is not null)
            throw new InputDataException($"{path}: classes are listed but classInput is missing");
        if (card.NullClass is int nc && (card.Classes is null || nc != card.Classes.Length))
            throw new InputDataException($"{path}: nullClass {nc} must be {card.Classes?.Length ?? 0}, the index after the classes (the extra embedding trained for guidance)");
        if (card.Guidance is double g && (!double.IsFinite(g) || (g != 1 && card.NullClass is null)))
            throw new InputDataException($"{path}: guidance {g} needs to be a finite number, and other than 1 only with a nullClass");
        return card;
    }

    public bool Conditional => ClassInput is not null;

    /// <summary>Bounds on a card's sizes: a 4096×4096 sample, 100,000 diffusion steps, 100,000 classes.</summary>
    public const int MaxImageSize = 4096, MaxSteps = 100_000, MaxClasses = 100_000;

    /// <summary>The index of class <paramref name="name"/>, or a one-line error listing the card's classes.</summary>
    public int ClassIndex(string name)
    {
        if (Classes is null) throw new InputDataException($"{CardPath}: this denoiser is unconditional; it takes no class");
        int i = Array.IndexOf(Classes, name);
        return i >= 0 ? i : throw new InputDataException($"{CardPath}: no class '{name}' (classes: {string.Join(", ", Classes.Take(20))}{(Classes.Length > 20 ? ", …" : "")})");
    }

    public byte[] ReadVerifiedModel() => Replication.Core.Files.VerifiedFile.ReadAllBytes(CardPath, Path.GetFullPath(Path.Combine(BaseDirectory, Onnx)), Sha256);
}
