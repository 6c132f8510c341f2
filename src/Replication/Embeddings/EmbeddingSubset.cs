using System.Security.Cryptography;
using System.Text;

using Replication.Images;

namespace Replication.Embeddings;

/// <summary>
/// The embeddings of a subset of an already embedded set, written as an ordinary embedding folder without running the
/// model again: nested training subsets (a sweep over training-set sizes) are embedded once, as the largest set, and each
/// smaller one takes its rows. Images are matched by file path; an image the source skipped is skipped here with the same
/// reason; an image the source never saw is an error.
/// </summary>
public static class EmbeddingSubset
{
    public static EmbeddingFolder Write(EmbeddingFolder source, IReadOnlyList<ImageRecord> images, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < source.Images.Count; i++) rowOf[Path.GetFullPath(source.Images[i].Path)] = i;
        var skippedOf = source.Skipped.GroupBy(s => Path.GetFullPath(s.Path)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = new List<int>();
        var kept = new List<ImageRecord>();
        var skipped = new List<SkippedImage>();
        foreach (var image in images)
        {
            var path = Path.GetFullPath(image.Path);
            if (rowOf.TryGetValue(path, out int row)) { rows.Add(row); kept.Add(image); }
            else if (skippedOf.TryGetValue(path, out var s)) skipped.Add(s);
            else throw new InputDataException($"{image.Path}: not among the images embedded in {source.Folder}; the subset must be part of that set");
        }
        string fingerprint = Fingerprint(source, rows);
        if (File.Exists(Path.Combine(folder, EmbeddingFiles.Metadata)))
        {
            var existing = EmbeddingFolder.Open(folder);
            if (existing.Info.Fingerprint == fingerprint) return existing;
        }
        using var vectors = source.OpenVectors();
        int dim = source.RowLength;
        var data = new float[(long)rows.Count * dim];
        for (int i = 0; i < rows.Count; i++) vectors.ReadRows(rows[i], 1, data.AsSpan(i * dim, dim));
        var warnings = source.Warnings.Where(w => kept.Any(k => Path.GetFullPath(k.Path) == Path.GetFullPath(w.Path))).ToList();
        EmbeddingFiles.Write(folder, new EmbeddingSet(kept, data, dim, source.Chunks, skipped, source.Info.Model, warnings), fingerprint);
        return EmbeddingFolder.Open(folder);
    }

    private static string Fingerprint(EmbeddingFolder source, List<int> rows)
    {
        var text = new StringBuilder($"subset of {source.Info.Fingerprint}:{source.Info.VectorsSha256}:{source.Count}:");
        foreach (int r in rows) text.Append(r).Append(',');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
