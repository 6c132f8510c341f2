using System.Text;
using System.Text.Json;

using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Embeddings;

/// <summary>
/// The on-disk form of an <see cref="EmbeddingSet"/> in a folder: <c>embeddings.npy</c> (float32 [rows, dim], NumPy
/// format 1.0), <c>embeddings.csv</c> (row, id, path, caption, label), <c>skipped.csv</c> (path, reason) and
/// <c>embeddings.json</c> (model, dimension, chunks). <c>embeddings.json</c> is written last: a folder without it is incomplete.
/// </summary>
public static class EmbeddingFiles
{
    public const string Vectors = "embeddings.npy";
    public const string Sidecar = "embeddings.csv";
    public const string Skipped = "skipped.csv";
    public const string Metadata = "embeddings.json";
    public const string Warnings = "warnings.csv";

    /// <param name="Fingerprint">Identifies the model, its preprocessing and the exact input files; a rerun with the same fingerprint reuses the folder.</param>
    /// <param name="VectorsSha256">SHA-256 of <c>embeddings.npy</c> as written (empty where not recorded), checked before a finished folder is reused.</param>
    /// <param name="Alpha">How transparency was handled when decoding ("composite on #ffffff", "drop"; empty in older folders).</param>
    /// <param name="AcceptTruncated">Truncated images were decoded with what they hold (<c>--accept-truncated</c>) instead of skipped.</param>
    public sealed record Info(string Model, int Rows, int Dimension, int Chunks, int SkippedCount, string Fingerprint = "", string VectorsSha256 = "", string Alpha = "",
        bool AcceptTruncated = false);

    /// <summary>SHA-256 of a file, as lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    public static void Write(string folder, EmbeddingSet set, string fingerprint = "")
    {
        Directory.CreateDirectory(folder);
        if (set.Count > 0)
            NpyWriter.Write(Path.Combine(folder, Vectors), set.Vectors, set.RowLength);
        var sidecar = new StringBuilder("row,id,path,caption,label\n");
        for (int i = 0; i < set.Count; i++)
        {
            var r = set.Images[i];
            sidecar.Append(CsvTable.Line(i, r.Id, r.Path, r.Caption, r.Label)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(folder, Sidecar), sidecar.ToString());
        WriteSkipped(Path.Combine(folder, Skipped), set.Skipped);
        WriteWarnings(Path.Combine(folder, Warnings), set.WarningsOrEmpty);
        var info = new Info(set.ModelName, set.Count, set.Count > 0 ? set.RowLength : 0, set.Chunks, set.Skipped.Count, fingerprint);
        AtomicFile.WriteAllText(Path.Combine(folder, Metadata), JsonSerializer.Serialize(info, ModelCard.Json));
    }

    public static void WriteSkipped(string path, IEnumerable<SkippedImage> skipped)
    {
        var sb = new StringBuilder("path,reason\n");
        foreach (var s in skipped) sb.Append(CsvTable.Line(s.Path, s.Reason)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static void WriteWarnings(string path, IEnumerable<ImageWarning> warnings)
    {
        var sb = new StringBuilder("path,warning\n");
        foreach (var w in warnings) sb.Append(CsvTable.Line(w.Path, w.Warning)).Append('\n');
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>The warnings of a folder (none for folders written before warnings existed).</summary>
    public static IReadOnlyList<ImageWarning> ReadWarnings(string folder)
    {
        var path = Path.Combine(folder, Warnings);
        if (!File.Exists(path)) return [];
        var table = CsvTable.Read(path);
        return Enumerable.Range(0, table.Rows.Count).Select(i => new ImageWarning(table.Cell(i, "path")!, table.Cell(i, "warning")!)).ToList();
    }

    /// <summary>Reads the image list of an embedding folder (the sidecar), in row order.</summary>
    public static IReadOnlyList<ImageRecord> ReadImages(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, Sidecar));
        var list = new List<ImageRecord>(table.Rows.Count);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            var path = table.Cell(i, "path")!;
            list.Add(new ImageRecord(table.Cell(i, "id")!, path, table.Cell(i, "id")!, Empty(table.Cell(i, "caption")), Empty(table.Cell(i, "label"))));
        }
        return list;
    }

    public static IReadOnlyList<SkippedImage> ReadSkipped(string folder)
    {
        var table = CsvTable.Read(Path.Combine(folder, Skipped));
        return Enumerable.Range(0, table.Rows.Count).Select(i => new SkippedImage(table.Cell(i, "path")!, table.Cell(i, "reason")!)).ToList();
    }

    public static Info ReadInfo(string folder)
    {
        var path = Path.Combine(folder, Metadata);
        if (!File.Exists(path))
            throw new InputDataException($"{folder}: not a complete embedding folder ({Metadata} missing)");
        return JsonSerializer.Deserialize<Info>(File.ReadAllText(path), ModelCard.Json)
               ?? throw new InputDataException($"{path}: empty");
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
