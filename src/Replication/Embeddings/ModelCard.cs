using System.Text.Json;
using System.Text.Json.Serialization;

namespace Replication.Embeddings;

/// <summary>
/// Everything needed to use a feature extractor correctly: its ONNX file and checksum, the preprocessing its
/// authors used, what its output means, where it comes from and its licence. The schema is documented in
/// models/README.md.
/// </summary>
public sealed record ModelCard
{
    public required string Name { get; init; }
    public required string Onnx { get; init; }
    public required string Sha256 { get; init; }
    public required InputSpec Input { get; init; }
    public required OutputSpec Output { get; init; }
    public required int Dim { get; init; }
    /// <summary>Optional: how embeddings of this model are compared (ip, split, tiled-l2); default ip for vectors, split (one chunk per token) for tokens.</summary>
    public string? Similarity { get; init; }

    public string Source { get; init; } = "";
    public string License { get; init; } = "";

    /// <summary>Optional: the replica threshold calibrated on unrelated pairs (<c>replication calibrate --write-card</c>).</summary>
    public CardCalibration? Calibration { get; init; }

    /// <summary>Folder the card was read from; relative <see cref="Onnx"/> paths resolve against it.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = "";

    /// <summary>Where this card was read from, for error messages.</summary>
    [JsonIgnore] public string CardPath { get; init; } = "";

    [JsonIgnore] public string OnnxPath => Path.GetFullPath(Path.Combine(BaseDirectory, Onnx));

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and validates a card; every problem is reported with the card's path.</summary>
    public static ModelCard Load(string cardPath)
    {
        if (!File.Exists(cardPath))
            throw new InputMissingException($"{cardPath}: neither a built-in model ({string.Join(", ", BuiltinModels.Names)}) nor a model card file; export one with models/export_models.py (see models/README.md)", cardPath);
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(cardPath), Json);
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{cardPath}: not a valid model card: {e.Message}", e);
        }
        if (card is null)
            throw new InputDataException($"{cardPath}: empty model card");
        card = card with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(cardPath))!, CardPath = cardPath };
        card.Validate();
        return card;
    }

    /// <summary>Largest accepted crop side: 3 × 4096² floats (192 MiB) per image; ViTs use 224–518.</summary>
    public const int MaxInputSize = 4096;

    /// <summary>Largest accepted resize target (the shorter side before cropping).</summary>
    public const int MaxResize = 16384;

    /// <summary>Checks every field; an <see cref="InputDataException"/> names the card and the field.</summary>
    public void Validate()
    {
        string where = CardPath.Length > 0 ? CardPath : Name;
        void Fail(string what) => throw new InputDataException($"{where}: {what}");
        if (string.IsNullOrWhiteSpace(Name)) Fail("'name' is empty");
        if (string.IsNullOrWhiteSpace(Onnx)) Fail("'onnx' is empty");
        if (Sha256 is null || Sha256.Length != 64 || !Sha256.All(Uri.IsHexDigit)) Fail("'sha256' must be 64 hex digits");
        if (Input is null) Fail("'input' must be an object (name, size, resize, interpolation, mean, std, scale), not null");
        if (Output is null) Fail("'output' must be an object (name, kind), not null");
        if (string.IsNullOrWhiteSpace(Input!.Name)) Fail("'input.name' is empty or null");
        if (string.IsNullOrWhiteSpace(Output!.Name)) Fail("'output.name' is empty or null");
        if (Input.Size <= 0 || Input.Size > MaxInputSize) Fail($"'input.size' must be from 1 to {MaxInputSize} pixels, not {Input.Size}");
        if (Input.Resize < 0 || Input.Resize > MaxResize) Fail($"'input.resize' must be 0 (no resize) or up to {MaxResize} pixels, not {Input.Resize}");
        if (Input.Interpolation is null) Fail("'input.interpolation' must be \"bilinear\" or \"bicubic\", not null");
        if (Input.Mean is not { Length: 3 } || Input.Std is not { Length: 3 }) Fail("'input.mean' and 'input.std' need 3 values");
        if (Input.Std.Any(s => !(s > 0) || !float.IsFinite(s)) || Input.Mean.Any(m => !float.IsFinite(m))) Fail("'input.std' values must be positive and 'input.mean' values finite");
        if (!(Input.Scale > 0) || !float.IsFinite(Input.Scale)) Fail("'input.scale' must be positive (1 for [0,1] input, 255 for [0,255])");
        try { Replication.Images.ResampleFilter.FromName(Input.Interpolation!); }
        catch (InputDataException e) { Fail(e.Message); }
        if (Output.Kind is not ("vector" or "tokens")) Fail($"'output.kind' must be \"vector\" or \"tokens\", not \"{Output.Kind}\"");
        if (Dim <= 0) Fail("'dim' must be positive");
        Calibration?.Validate(where);
        if (Similarity is { } sim)
            try { Replication.Embeddings.Similarity.Parse(sim, 1); }
            catch (UsageException) { Fail($"'similarity' must be one of {Replication.Embeddings.Similarity.Names}, not \"{sim}\""); }
    }

    /// <summary>The similarity this model's embeddings are meant for, given the chunk (token) count of its rows.</summary>
    public Replication.Embeddings.Similarity DefaultSimilarity(int chunks) =>
        Similarity is { } s ? Replication.Embeddings.Similarity.Parse(s, chunks)
        : Output.Kind == "tokens" ? Replication.Embeddings.Similarity.SplitProduct(chunks)
        : Replication.Embeddings.Similarity.InnerProduct;

    /// <summary>Checks the ONNX file exists and has the card's sha256; returns its bytes.</summary>
    public byte[] ReadVerifiedModel() => Replication.Core.Files.VerifiedFile.ReadAllBytes(CardPath.Length > 0 ? CardPath : Name, OnnxPath, Sha256);
}
