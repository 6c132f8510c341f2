using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Diffusion;

/// <summary>
/// A DDPM noise-prediction network exported to ONNX: inputs <see cref="SampleInput"/> [batch, 3, size, size] in
/// [−1, 1] and <see cref="TimestepInput"/> [batch] (int64, 0-based step), output ε̂ of the same shape.
/// Documented in models/README.md.
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
    public string Source { get; init; } = "";
    public string License { get; init; } = "";

    [JsonIgnore] public string BaseDirectory { get; init; } = "";
    [JsonIgnore] public string CardPath { get; init; } = "";

    public NoiseSchedule NoiseSchedule() => Schedule switch
    {
        "linear" => Diffusion.NoiseSchedule.Linear(Steps),
        "cosine" => Diffusion.NoiseSchedule.Cosine(Steps),
        _ => throw new InvalidDataException($"{CardPath}: schedule must be linear or cosine, not '{Schedule}'"),
    };

    public static DenoiserCard Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: denoiser card not found", path);
        DenoiserCard? card;
        try { card = JsonSerializer.Deserialize<DenoiserCard>(File.ReadAllText(path), Features.ModelCard.Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid denoiser card: {e.Message}", e); }
        if (card is null) throw new InvalidDataException($"{path}: empty denoiser card");
        card = card with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!, CardPath = path };
        if (card.ImageSize <= 0 || card.Steps <= 0) throw new InvalidDataException($"{path}: imageSize and steps must be positive");
        _ = card.NoiseSchedule();
        return card;
    }

    public byte[] ReadVerifiedModel() => Storage.VerifiedFile.ReadAllBytes(CardPath, Path.GetFullPath(Path.Combine(BaseDirectory, Onnx)), Sha256);
}
