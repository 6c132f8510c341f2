using System.Text;
using System.Text.Json;
using Replication.Embeddings.Store;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Embeddings;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// A synthetic embedding store for scale measurements: seeded random unit rows (uniform in [−1, 1) per coordinate, then normalised)
/// written shard by shard in the layout of <see cref="StoreFiles"/> (embeddings.npy, rows.csv, shard.json per shard, then
/// manifest.json), never more than one block of rows in memory. Shard s is drawn from its own seed, so a shard's rows do not
/// depend on the others: the same parameters give the same bytes. A shard whose <c>shard.json</c> is there for these parameters
/// is kept (an interrupted write resumes), and a complete store for these parameters (<c>synthetic.json</c> + manifest) is reused.
/// </summary>
public static class SyntheticStore
{
    public const string ParametersFile = "synthetic.json";
    private const int BlockRows = 4096;

    /// <summary>What a synthetic store is made of.</summary>
    public sealed record Parameters(long Rows, int Shards, int Dimension, int Seed = 1)
    {
        /// <summary>Rows of shard <paramref name="s"/>: the rows split evenly, the first shards one more where they do not divide.</summary>
        public long RowsOf(int s) => Rows / Shards + (s < Rows % Shards ? 1 : 0);

        public long FirstRowOf(int s) => s * (Rows / Shards) + Math.Min(s, Rows % Shards);

        public string Fingerprint => $"synthetic rows={Rows} shards={Shards} dim={Dimension} seed={Seed}";

        public void Validate()
        {
            if (Rows < 1) throw new ParameterException("StoreRows", Rows, "a synthetic store needs at least one row");
            if (Shards < 1 || Shards > Rows) throw new ParameterException("StoreShards", Shards, $"give 1..{Rows} shards for {Rows} rows");
            if (Dimension < 1) throw new ParameterException("StoreDimension", Dimension, "give at least 1");
            if (Rows / Shards + 1 > int.MaxValue / Dimension)
                throw new ParameterException("StoreShards", Shards, $"{Rows / Shards} rows a shard × {Dimension} is too large for one shard file; give more shards");
        }
    }

    /// <summary>True when <paramref name="folder"/> holds a complete synthetic store of exactly these parameters.</summary>
    public static bool IsComplete(string folder, Parameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        string parameters = Path.Combine(folder, ParametersFile), manifest = Path.Combine(folder, StoreFiles.Manifest);
        if (!File.Exists(parameters) || !File.Exists(manifest)) return false;
        try
        {
            return JsonSerializer.Deserialize<Parameters>(File.ReadAllText(parameters), ShardEmbedder.Json) == p;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes (or reuses) the store; returns its manifest and whether it was reused whole. <paramref name="shardDone"/> is told each
    /// shard's index as it is written or kept.
    /// </summary>
    public static (StoreManifest Manifest, bool Reused) Write(string folder, Parameters p, Action<int>? shardDone = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(p);
        p.Validate();
        if (IsComplete(folder, p)) return (EmbeddingStore.Open(folder).Manifest, true);
        Directory.CreateDirectory(folder);
        string manifestPath = Path.Combine(folder, StoreFiles.Manifest);
        if (File.Exists(manifestPath)) File.Delete(manifestPath); // of other parameters: the store is incomplete until the end
        AtomicFile.WriteAllText(Path.Combine(folder, ParametersFile), JsonSerializer.Serialize(p, ShardEmbedder.Json));
        var entries = new List<StoreManifestShard>(p.Shards);
        for (int s = 0; s < p.Shards; s++)
        {
            var done = WriteShard(folder, p, s);
            entries.Add(new StoreManifestShard(s, done.Source, p.FirstRowOf(s), done.Rows, 0, done.VectorsSha256, done.RowsSha256));
            shardDone?.Invoke(s);
        }
        var manifest = new StoreManifest(StoreFiles.Format, "synthetic", p.Dimension, p.Rows, 0, entries);
        AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, ShardEmbedder.Json));
        return (manifest, false);
    }

    private static ShardDone WriteShard(string store, Parameters p, int s)
    {
        string folder = StoreFiles.ShardFolder(store, s);
        string donePath = Path.Combine(folder, StoreFiles.Done);
        if (File.Exists(donePath) && ShardEmbedder.ReadDone(donePath) is { } kept && kept.Fingerprint == p.Fingerprint && kept.Rows == p.RowsOf(s))
            return kept;
        Directory.CreateDirectory(folder);
        if (File.Exists(donePath)) File.Delete(donePath);
        long rows = p.RowsOf(s), first = p.FirstRowOf(s);
        var rng = new Random(unchecked(p.Seed * 1_000_003 + s + 1));
        string vectors = Path.Combine(folder, StoreFiles.Vectors), rowsCsv = Path.Combine(folder, StoreFiles.Rows);
        var buffer = new float[BlockRows * p.Dimension];
        using (var w = new NpyWriter(vectors, p.Dimension))
        {
            for (long r0 = 0; r0 < rows; r0 += BlockRows)
            {
                int n = (int)Math.Min(BlockRows, rows - r0);
                FillUnitRows(rng, buffer.AsSpan(0, n * p.Dimension), p.Dimension);
                w.WriteRows(buffer.AsSpan(0, n * p.Dimension));
            }
            w.Commit();
        }
        AtomicFile.Write(rowsCsv, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write("row,shard,key,caption,url,width,height\n");
            for (long r = 0; r < rows; r++)
                w.Write(CsvTable.Line(r, s, $"{first + r:D12}", $"synthetic row {first + r}", "", 1, 1) + "\n");
        });
        var done = new ShardDone(s, $"synthetic-{s:D5}", p.Fingerprint, rows, p.Dimension, 0, EmbeddingFiles.Sha256Of(vectors), EmbeddingFiles.Sha256Of(rowsCsv), []);
        AtomicFile.WriteAllText(donePath, JsonSerializer.Serialize(done, ShardEmbedder.Json));
        return done;
    }

    /// <summary>Random rows of unit length: each coordinate uniform in [−1, 1), then the row divided by its norm.</summary>
    public static void FillUnitRows(Random rng, Span<float> rows, int dimension)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int r = 0; r + dimension <= rows.Length; r += dimension)
        {
            var row = rows.Slice(r, dimension);
            double sum = 0;
            for (int i = 0; i < dimension; i++)
            {
                float v = (float)(rng.NextDouble() * 2 - 1);
                row[i] = v;
                sum += (double)v * v;
            }
            float scale = sum > 0 ? (float)(1 / Math.Sqrt(sum)) : 0;
            for (int i = 0; i < dimension; i++) row[i] *= scale;
        }
    }

    /// <summary>Seeded random unit query rows as one .npy (written block by block).</summary>
    public static void WriteQueries(string path, int rows, int dimension, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var rng = new Random(seed);
        var buffer = new float[BlockRows * dimension];
        using var w = new NpyWriter(path, dimension);
        for (int r0 = 0; r0 < rows; r0 += BlockRows)
        {
            int n = Math.Min(BlockRows, rows - r0);
            FillUnitRows(rng, buffer.AsSpan(0, n * dimension), dimension);
            w.WriteRows(buffer.AsSpan(0, n * dimension));
        }
        w.Commit();
    }

    /// <summary>
    /// A store of the first <paramref name="shards"/> shards of <paramref name="fullStore"/> without copying them: its own manifest,
    /// and <c>shards/</c> a symbolic link to the full store's (a smaller gallery of the same shard size).
    /// </summary>
    public static StoreManifest WriteView(string fullStore, string viewFolder, int shards)
    {
        using var full = EmbeddingStore.Open(fullStore);
        if (shards < 1 || shards > full.Manifest.Shards.Count)
            throw new ArgumentOutOfRangeException(nameof(shards), $"{shards} shards of a store of {full.Manifest.Shards.Count}");
        var entries = full.Manifest.Shards.Take(shards).ToList();
        var manifest = full.Manifest with { Rows = entries.Sum(e => e.Rows), Skipped = entries.Sum(e => e.Skipped), Shards = entries };
        if (Directory.Exists(viewFolder)) Directory.Delete(viewFolder, true); // a link inside is removed, not followed
        Directory.CreateDirectory(viewFolder);
        Directory.CreateSymbolicLink(Path.Combine(viewFolder, StoreFiles.ShardsFolder), Path.GetFullPath(Path.Combine(fullStore, StoreFiles.ShardsFolder)));
        AtomicFile.WriteAllText(Path.Combine(viewFolder, StoreFiles.Manifest), JsonSerializer.Serialize(manifest, ShardEmbedder.Json));
        return manifest;
    }
}
