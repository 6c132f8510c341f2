using Replication.Embeddings.Store;
using Replication.Core.Formats;

namespace Replication.Data.Generations;

/// <summary>
/// The captions of a training set, the population prompts are drawn from: a store's sidecars (one shard's <c>rows.csv</c> in
/// memory at a time) or a manifest CSV with a <c>caption</c> column (and a <c>key</c> column, or <c>path</c>, naming each
/// sample; else its data row number). Samples without a caption are not in the population.
/// </summary>
public static class TrainingCaptions
{
    /// <summary>The captioned samples of <paramref name="source"/>: a store folder (its <c>manifest.json</c>) or a manifest CSV.</summary>
    public static IEnumerable<CaptionedSample> Read(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (Directory.Exists(source)) return FromStore(source);
        if (File.Exists(source)) return FromManifest(source);
        throw new InputMissingException($"{source}: no such store folder or manifest", source);
    }

    public static IEnumerable<CaptionedSample> FromStore(string folder)
    {
        using var store = EmbeddingStore.Open(folder);
        foreach (var row in store.AllRows())
            if (row.Caption is { Length: > 0 } caption)
                yield return new CaptionedSample(row.Key, caption, row.Row);
    }

    public static IEnumerable<CaptionedSample> FromManifest(string path)
    {
        var table = CsvTable.Read(path);
        if (!table.HasColumn("caption"))
            throw new InputDataException($"{path}: no 'caption' column (columns: {string.Join(", ", table.Header)})");
        string? keyColumn = table.HasColumn("key") ? "key" : table.HasColumn("path") ? "path" : null;
        for (int r = 0; r < table.Rows.Count; r++)
            if (table.Cell(r, "caption") is { Length: > 0 } caption)
                yield return new CaptionedSample(keyColumn is null ? (r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : table.Cell(r, keyColumn)!,
                    caption, null);
    }
}
