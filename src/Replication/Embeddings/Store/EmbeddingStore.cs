using System.Text.Json;
using Replication.Core.Formats;
using Replication.Core.Vectors;

namespace Replication.Embeddings.Store;

/// <summary>
/// A complete store (its <c>manifest.json</c>) read as one matrix of <c>long</c>-indexed rows across its shards, streamed block by
/// block from the shards' <c>.npy</c> files (<see cref="IVectorSource"/>), and the metadata of any row from its shard's <c>rows.csv</c>.
/// </summary>
public sealed class EmbeddingStore : IVectorSource, IDisposable
{
    private readonly NpyMatrix?[] _matrices;
    private readonly Dictionary<int, CsvTable> _rows = [];

    private EmbeddingStore(string folder, StoreManifest manifest)
    {
        Folder = folder;
        Manifest = manifest;
        _matrices = new NpyMatrix?[manifest.Shards.Count];
    }

    public string Folder { get; }
    public StoreManifest Manifest { get; }
    public long Count => Manifest.Rows;
    public int Dimension => Manifest.Dimension;
    public string Description => Folder;

    public static EmbeddingStore Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, StoreFiles.Manifest);
        if (!File.Exists(path))
            throw new InputDataException(File.Exists(Path.Combine(folder, StoreFiles.Plan))
                ? $"{folder}: the store is not complete ({StoreFiles.Manifest} missing: some shards are not embedded yet; run embed again for them)"
                : $"{folder}: not an embedding store ({StoreFiles.Manifest} missing)");
        StoreManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<StoreManifest>(File.ReadAllText(path), ShardEmbedder.Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: not a store manifest ({e.Message.Split('\n')[0]})", e);
        }
        Check(path, manifest);
        return new EmbeddingStore(folder, manifest);
    }

    /// <summary>The manifest's schema: fields present, shards in order and contiguous, row counts that add up. A damaged manifest
    /// is one clear error naming the file and the field, never a crash later.</summary>
    private static void Check(string path, StoreManifest m)
    {
        void Fail(string what) => throw new InputDataException($"{path}: not a valid store manifest: {what}");
        if (string.IsNullOrWhiteSpace(m.Format)) Fail("'format' is missing");
        if (string.IsNullOrWhiteSpace(m.Model)) Fail("'model' is missing");
        if (m.Dimension < 1) Fail($"'dimension' is {m.Dimension}");
        if (m.Rows < 0 || m.Skipped < 0) Fail("'rows' and 'skipped' must be ≥ 0");
        if (m.Shards is null) Fail("'shards' is missing");
        long next = 0;
        for (int i = 0; i < m.Shards!.Count; i++)
        {
            var s = m.Shards[i];
            if (s is null) Fail($"shard {i} is null");
            if (s!.Index != i) Fail($"shard {i} has index {s.Index}");
            if (s.FirstRow != next) Fail($"shard {i} starts at row {s.FirstRow}, not {next}");
            if (s.Rows < 0 || s.Skipped < 0) Fail($"shard {i} has a negative count");
            if (string.IsNullOrWhiteSpace(s.VectorsSha256) || string.IsNullOrWhiteSpace(s.RowsSha256)) Fail($"shard {i} has no checksums");
            next += s.Rows;
        }
        if (next != m.Rows) Fail($"'rows' is {m.Rows}, its shards hold {next}");
    }

    /// <summary>The shard that holds global row <paramref name="row"/>, and the row within it.</summary>
    public (StoreManifestShard Shard, long Row) Locate(long row)
    {
        if (row < 0 || row >= Count) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} outside 0..{Count}");
        int lo = 0, hi = Manifest.Shards.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Manifest.Shards[mid].FirstRow <= row) lo = mid; else hi = mid - 1;
        }
        while (Manifest.Shards[lo].Rows == 0 || row >= Manifest.Shards[lo].FirstRow + Manifest.Shards[lo].Rows) lo++; // empty shards share a first row
        return (Manifest.Shards[lo], row - Manifest.Shards[lo].FirstRow);
    }

    /// <summary>The sidecar of global row <paramref name="row"/>: shard, key, caption, url, width, height (its shard's rows.csv is read once and kept).</summary>
    public StoreRow Row(long row)
    {
        var (shard, local) = Locate(row);
        if (!_rows.TryGetValue(shard.Index, out var table))
            _rows[shard.Index] = table = CsvTable.Read(Path.Combine(StoreFiles.ShardFolder(Folder, shard.Index), StoreFiles.Rows));
        return RowOf(table, shard, row, local);
    }

    /// <summary>
    /// The sidecar rows of many global rows at once, reading each shard's rows.csv once and letting it go before the next
    /// (memory: one shard's sidecar and the answer), unlike <see cref="Row"/>, which keeps every sidecar it read.
    /// </summary>
    public IReadOnlyDictionary<long, StoreRow> Rows(IEnumerable<long> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new Dictionary<long, StoreRow>();
        foreach (var group in rows.Distinct().Select(r => (Row: r, Place: Locate(r))).GroupBy(x => x.Place.Shard.Index))
        {
            var shard = group.First().Place.Shard;
            var table = _rows.TryGetValue(shard.Index, out var cached)
                ? cached
                : CsvTable.Read(Path.Combine(StoreFiles.ShardFolder(Folder, shard.Index), StoreFiles.Rows));
            foreach (var (row, place) in group)
                result[row] = RowOf(table, shard, row, place.Row);
        }
        return result;
    }

    /// <summary>Every row's sidecar in row order, one shard's rows.csv in memory at a time (a count that disagrees with the manifest is an error).</summary>
    public IEnumerable<StoreRow> AllRows()
    {
        foreach (var shard in Manifest.Shards)
        {
            if (shard.Rows == 0) continue;
            string path = Path.Combine(StoreFiles.ShardFolder(Folder, shard.Index), StoreFiles.Rows);
            var table = CsvTable.Read(path);
            if (table.Rows.Count != shard.Rows)
                throw new InputDataException($"{path}: {table.Rows.Count} rows, the store manifest says {shard.Rows}");
            for (int r = 0; r < table.Rows.Count; r++)
                yield return RowOf(table, shard, shard.FirstRow + r, r);
        }
    }

    private static StoreRow RowOf(CsvTable table, StoreManifestShard shard, long row, long local)
    {
        int r = checked((int)local);
        static long? Whole(string? s) => long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : null;
        static string? Text(string? s) => string.IsNullOrEmpty(s) ? null : s;
        return new StoreRow(row, shard.Index, shard.Source, table.Cell(r, "key")!, Text(table.Cell(r, "caption")), Text(table.Cell(r, "url")),
            Whole(table.Cell(r, "width")), Whole(table.Cell(r, "height")));
    }

    public void ReadRows(long start, int count, Span<float> destination)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} outside 0..{Count}");
        long at = start;
        int written = 0;
        while (written < count)
        {
            var (shard, local) = Locate(at);
            int n = (int)Math.Min(count - written, shard.Rows - local);
            var m = _matrices[shard.Index] ??= NpyMatrix.Open(Path.Combine(StoreFiles.ShardFolder(Folder, shard.Index), StoreFiles.Vectors));
            m.ReadRows(local, n, destination.Slice(checked(written * Dimension), n * Dimension));
            written += n;
            at += n;
        }
    }

    public void Dispose()
    {
        foreach (var m in _matrices) m?.Dispose();
    }
}
