using System.Diagnostics;
using System.Text.Json;
using Cloud.Unum.USearch;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Embeddings.Store;
using Replication.Core.Files;

namespace Replication.Search.Approximate;

/// <summary>
/// An approximate nearest-neighbour index (HNSW, through USearch) over the rows of a store or any <see cref="IVectorSource"/>,
/// for cosine similarity only: rows are L2-normalised as exact search does and the graph ranks them by inner product, so its
/// scores are on exact search's scale. Keys are the source's <c>long</c> row ids. A folder holds <c>index.usearch</c> and, written
/// last, <c>index.json</c> (<see cref="HnswIndexInfo"/>) with the fingerprint of the vectors it was built from: an index whose
/// vectors changed since is refused. Exact search stays the reference: see <see cref="ApproximateSearch"/>.
/// </summary>
public sealed class HnswIndex : IDisposable
{
    public const string IndexFile = "index.usearch";
    public const string InfoFile = "index.json";
    public const string Format = "replication-hnsw/1";
    private const int BlockRows = 4096;

    private readonly USearchIndex _index;

    private HnswIndex(USearchIndex index, HnswIndexInfo info, string folder)
    {
        _index = index;
        Info = info;
        Folder = folder;
    }

    public HnswIndexInfo Info { get; }
    public string Folder { get; }

    /// <summary>Where the index of a store or an npy file lives by default: <c>STORE/hnsw</c>, or <c>FILE.hnsw</c> beside the file.</summary>
    public static string DefaultFolder(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return Directory.Exists(source) ? Path.Combine(source, "hnsw") : source + ".hnsw";
    }

    /// <summary>Refuses every similarity but ip (cosine), which the graph can rank by; the split-product is a maximum over chunks.</summary>
    public static void CheckSimilarity(Similarity similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        string? why = similarity.Kind switch
        {
            SimilarityKind.SplitProduct => "split: the official split-product is the largest of the chunk-wise dot products, a maximum over chunks that no single graph metric ranks",
            SimilarityKind.SplitCosine => "split-cos: the largest chunk cosine, a maximum over chunks that no single graph metric ranks",
            SimilarityKind.TiledL2 => "tiled-l2: the largest per-tile distance, a maximum over tiles that no single graph metric ranks",
            _ => null,
        };
        if (why is not null)
            throw new ParameterException("Metric", $"{why}; the HNSW index supports only ip (cosine on L2-normalised rows): search exactly instead");
    }

    /// <summary>Builds the index of every finite row of <paramref name="source"/> into <paramref name="folder"/> (rows with NaN or
    /// infinite values are left out, so never matched, as in exact search).</summary>
    /// <param name="progress">Called with (rows added, rows in all).</param>
    public static HnswIndexInfo Build(IVectorSource source, string folder, HnswSettings? settings = null, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        settings ??= new HnswSettings();
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Connectivity, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.ExpansionAdd);
        if (source.Count == 0) throw new InputDataException($"{source.Description}: no rows to index");
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        using var outputLock = OutputLock.Acquire(folder);
        string infoPath = Path.Combine(folder, InfoFile), indexPath = Path.Combine(folder, IndexFile);
        File.Delete(infoPath); // from here until the new one is written, the folder holds no index anyone trusts
        string fingerprint = VectorFingerprint.Of(source);
        int dim = source.Dimension;
        using var index = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)dim, (ulong)settings.Connectivity, (ulong)settings.ExpansionAdd);
        var buffer = new float[(long)Math.Min(BlockRows, source.Count) * dim];
        for (long start = 0; start < source.Count; start += BlockRows)
        {
            int n = (int)Math.Min(BlockRows, source.Count - start);
            var block = buffer.AsSpan(0, n * dim);
            source.ReadRows(start, n, block);
            var keys = new List<ulong>(n);
            var rows = new List<float[]>(n);
            for (int r = 0; r < n; r++)
            {
                var row = block.Slice(r * dim, dim);
                if (!NonFiniteRows.IsFinite(row)) continue;
                var copy = row.ToArray();
                VectorMath.NormalizeRows(copy, dim);
                keys.Add((ulong)(start + r));
                rows.Add(copy);
            }
            if (keys.Count > 0) index.Add(keys.ToArray(), rows.ToArray());
            progress?.Invoke(start + n, source.Count);
        }
        string partial = indexPath + ".partial";
        try
        {
            index.Save(partial);
        }
        catch (USearchException e)
        {
            throw new InputDataException($"{partial}: the index could not be written ({e.Message})", e);
        }
        File.Move(partial, indexPath, overwrite: true);
        var info = new HnswIndexInfo(Format, source.Description, fingerprint, source.Count, dim, Similarity.InnerProduct.ToString(), settings.Connectivity,
            settings.ExpansionAdd, Math.Round(watch.Elapsed.TotalSeconds, 3), new FileInfo(indexPath).Length, Replication.Embeddings.EmbeddingFiles.Sha256Of(indexPath));
        AtomicFile.WriteAllText(infoPath, JsonSerializer.Serialize(info, ShardEmbedder.Json));
        return info;
    }

    /// <summary>Opens the index in <paramref name="folder"/> for the vectors of <paramref name="source"/>; refuses (an
    /// <see cref="InputDataException"/>) an index built from other vectors, or one whose build did not finish.</summary>
    public static HnswIndex Open(string folder, IVectorSource source)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(source);
        string infoPath = Path.Combine(folder, InfoFile), indexPath = Path.Combine(folder, IndexFile);
        if (!File.Exists(infoPath) || !File.Exists(indexPath))
            throw new InputMissingException($"{folder}: no complete HNSW index ({InfoFile} or {IndexFile} missing); build it with 'replication index build'", folder);
        HnswIndexInfo info;
        try
        {
            info = JsonSerializer.Deserialize<HnswIndexInfo>(File.ReadAllText(infoPath), ShardEmbedder.Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{infoPath}: not an index description ({e.Message.Split('\n')[0]})", e);
        }
        if (info.Format != Format)
            throw new InputDataException($"{infoPath}: format '{info.Format}', expected '{Format}'");
        if (info.Rows != source.Count || info.Dimension != source.Dimension)
            throw new InputDataException($"{folder}: stale index: built from {info.Rows} × {info.Dimension} vectors, {source.Description} has {source.Count} × {source.Dimension}; rebuild it with 'replication index build'");
        if (VectorFingerprint.Of(source) != info.Fingerprint)
            throw new InputDataException($"{folder}: stale index: the vectors of {source.Description} changed since it was built (fingerprint differs); rebuild it with 'replication index build'");
        // only verified bytes reach the native loader: a changed graph can crash it without a message
        if (info.IndexSha256 is null)
            throw new InputDataException($"{infoPath}: no checksum of {IndexFile} (an index built by an older version); rebuild it with 'replication index build'");
        if (Replication.Embeddings.EmbeddingFiles.Sha256Of(indexPath) != info.IndexSha256)
            throw new InputDataException($"{indexPath}: damaged (its SHA-256 differs from the one recorded in {InfoFile} when it was built); rebuild it with 'replication index build'");
        USearchIndex index;
        try
        {
            index = new USearchIndex(indexPath);
        }
        catch (USearchException e)
        {
            throw new InputDataException($"{indexPath}: not a readable USearch index ({e.Message})", e);
        }
        return new HnswIndex(index, info, folder);
    }

    /// <summary>The candidates a search for <paramref name="k"/> rows keeps: USearch keeps max(its own 64, rows asked for), and
    /// the index asks for max(k, <paramref name="expansionSearch"/>); so asking for fewer than 64 changes nothing (measured).</summary>
    public static int EffectiveExpansion(int k, int expansionSearch) => Math.Max(HnswSettings.DefaultExpansionSearch, Math.Max(k, expansionSearch));

    /// <summary>The approximate top-<paramref name="k"/> of every query (ties: lower row first, as exact search). The graph is
    /// asked for max(k, <paramref name="expansionSearch"/>) neighbours, which sets how many candidates its search keeps
    /// (<see cref="EffectiveExpansion"/>).
    /// A query with NaN or infinite values gets no matches (index -1, score NaN).</summary>
    /// <param name="exclude">Per query, a row it must not match (its own caption's source; -1: none), or null.</param>
    public SearchResult Search(IVectorSource queries, int k, int expansionSearch = HnswSettings.DefaultExpansionSearch, long[]? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expansionSearch);
        if (queries.Dimension != Info.Dimension)
            throw new InputDataException($"dimension mismatch: queries {queries.Description} have {queries.Dimension}, the index {Folder} has {Info.Dimension}");
        int nq = checked((int)queries.Count), dim = Info.Dimension;
        if (exclude is not null && exclude.Length != nq)
            throw new ArgumentException($"{exclude.Length} exclusions for {nq} queries", nameof(exclude));
        int ask = Math.Max(exclude is null ? k : k + 1, expansionSearch);
        var acc = new TopKAccumulator(nq, k);
        var bad = new List<long>();
        var buffer = new float[(long)Math.Min(BlockRows, Math.Max(1, nq)) * dim];
        var row = new float[dim];
        for (int start = 0; start < nq; start += BlockRows)
        {
            int n = Math.Min(BlockRows, nq - start);
            queries.ReadRows(start, n, buffer.AsSpan(0, n * dim));
            for (int i = 0; i < n; i++)
            {
                buffer.AsSpan(i * dim, dim).CopyTo(row);
                if (!NonFiniteRows.IsFinite(row))
                {
                    bad.Add(start + i);
                    continue;
                }
                VectorMath.NormalizeRows(row, dim);
                int found = _index.Search(row, ask, out var keys, out var distances);
                long excluded = exclude?[start + i] ?? -1;
                for (int r = 0; r < found; r++)
                    if ((long)keys[r] != excluded)
                        acc.Offer(start + i, 1f - distances[r], (long)keys[r]); // inner-product distance is 1 − ip
            }
        }
        return acc.ToResult() with { NonFiniteQueries = bad };
    }

    public void Dispose() => _index.Dispose();
}
