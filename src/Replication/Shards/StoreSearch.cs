using System.Globalization;
using System.Text;
using System.Text.Json;
using Replication.Search;
using Replication.Storage;

namespace Replication.Shards;

/// <summary>
/// Exact search of query vectors against an embedding store as persisted stages: each gallery shard is searched with
/// <see cref="ExactSearch"/> (all queries × that shard, memory bounded by the budget) and its partial top-k and range counts are
/// written to <c>parts/NNNNN.part</c> (whole or not at all); a run that was interrupted keeps the parts it finished. The merge
/// then reads the parts one at a time and keeps the global top-k (equal scores: lower row first), writing <c>matches.csv</c>
/// (query, rank, row, score, shard, key, caption, url), <c>counts.csv</c> and last <c>search.json</c>. Reports read these files.
/// A query may exclude one store row (its own caption's source image): that row is never among its matches nor counted.
/// </summary>
public static class StoreSearch
{
    public const string Parts = "parts";
    public const string Matches = "matches.csv";
    public const string CountsFile = "counts.csv";
    public const string Summary = "search.json";
    private const string PartMagic = "replication-store-search-part/1";

    /// <param name="exclude">Per query, the store row it must not match (-1: none); null: no exclusions.</param>
    public static StoreSearchResult Run(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, long[]? exclude = null,
        Action<int, bool>? partDone = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(queriesPath);
        ArgumentException.ThrowIfNullOrEmpty(storeFolder);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.K);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.CountCap);
        using var store = EmbeddingStore.Open(storeFolder);
        using var queries = NpyMatrix.Open(queriesPath);
        ExactSearch.Check(queries, store);
        settings.Similarity.Validate(queries.Columns);
        int nq = checked((int)queries.Rows);
        if (exclude is not null && exclude.Length != nq)
            throw new InputDataException($"the exclusions give {exclude.Length} rows for {nq} queries in {queriesPath}");
        if (exclude is not null)
            foreach (long row in exclude)
                if (row < -1 || row >= store.Count)
                    throw new InputDataException($"an excluded row {row} is outside the store's rows 0..{store.Count - 1} (-1: none)");
        foreach (var t in settings.CountAbove) settings.Similarity.ValidateThreshold(t);

        using var outputLock = OutputLock.Acquire(outFolder);
        string fingerprint = Fingerprint(queriesPath, storeFolder, settings, exclude);
        string parts = Path.Combine(outFolder, Parts);
        Directory.CreateDirectory(parts);
        foreach (var partial in Directory.GetFiles(parts, "*.partial").Concat(Directory.GetFiles(outFolder, "*.partial")))
            File.Delete(partial);
        string summaryPath = Path.Combine(outFolder, Summary);
        if (File.Exists(summaryPath)) File.Delete(summaryPath); // done again below; a reader never sees a summary of other parts

        int computed = 0, reused = 0;
        int nt = settings.CountAbove.Count;
        OrtBlockScorer? scorer = null; // one search-graph session for every shard
        try
        {
            foreach (var shard in store.Manifest.Shards)
            {
                string path = Path.Combine(parts, $"{shard.Index:D5}.part");
                if (ReadPart(path, fingerprint, nq, settings.K, nt) is not null)
                {
                    reused++;
                    partDone?.Invoke(shard.Index, true);
                    continue;
                }
                scorer ??= new OrtBlockScorer(queries.Columns, settings.Similarity, settings.Device);
                var part = SearchShard(queries, store, shard, settings, exclude, scorer);
                AtomicFile.Write(path, s => WritePart(s, fingerprint, nq, settings.K, nt, part));
                computed++;
                partDone?.Invoke(shard.Index, false);
            }
        }
        finally
        {
            scorer?.Dispose();
        }

        // merge: one part in memory at a time, running top-k per query
        var acc = new TopKAccumulator(nq, settings.K);
        var counts = new long[nq * nt];
        var lower = new bool[nq * nt];
        foreach (var shard in store.Manifest.Shards)
        {
            var part = ReadPart(Path.Combine(parts, $"{shard.Index:D5}.part"), fingerprint, nq, settings.K, nt)
                       ?? throw new InputDataException($"{outFolder}: part {shard.Index} changed while merging; run the search again");
            for (int q = 0; q < nq; q++)
                for (int r = 0; r < settings.K; r++)
                {
                    long index = part.Indices[q * settings.K + r];
                    if (index >= 0) acc.Offer(q, part.Scores[q * settings.K + r], index);
                }
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] += part.Counts[i];
                lower[i] |= part.LowerBound[i];
            }
        }
        var matches = acc.ToResult();
        var result = new StoreSearchResult(matches, settings.CountAbove, counts, lower, computed, reused);
        WriteOutputs(outFolder, store, result, settings, queriesPath);
        return result;
    }

    private sealed record Part(float[] Scores, long[] Indices, long[] Counts, bool[] LowerBound);

    /// <summary>All queries against one gallery shard: its top-k (global rows, exclusions dropped) and range counts.</summary>
    private static Part SearchShard(NpyMatrix queries, EmbeddingStore store, StoreManifestShard shard, StoreSearchSettings settings, long[]? exclude,
        OrtBlockScorer scorer)
    {
        int nq = checked((int)queries.Rows), k = settings.K, nt = settings.CountAbove.Count;
        var scores = new float[nq * k];
        var indices = new long[nq * k];
        Array.Fill(scores, float.NaN);
        Array.Fill(indices, -1L);
        var counts = new long[nq * nt];
        var lower = new bool[nq * nt];
        if (shard.Rows == 0) return new Part(scores, indices, counts, lower);
        using var gallery = NpyMatrix.Open(Path.Combine(StoreFiles.ShardFolder(store.Folder, shard.Index), StoreFiles.Vectors));
        if (gallery.Rows != shard.Rows || gallery.Columns != store.Dimension)
            throw new InputDataException($"{gallery.Path}: ({gallery.Rows}, {gallery.Columns}), the store manifest says ({shard.Rows}, {store.Dimension})");
        int request = k + (exclude is null ? 0 : 1);
        if (nt > 0) request = Math.Max(request, settings.CountCap + (exclude is null ? 0 : 1));
        request = (int)Math.Min(request, shard.Rows);
        var found = ExactSearch.Search(queries, gallery, settings.Similarity, request, settings.Device, excludeSelf: false, progress: null,
            settings.MemoryBudgetBytes, strict: false, scorer);
        for (int q = 0; q < nq; q++)
        {
            long excluded = exclude?[q] ?? -1;
            int kept = 0, candidates = 0;
            var qs = found.ScoresOf(q);
            var qi = found.IndicesOf(q);
            for (int r = 0; r < request; r++)
            {
                if (qi[r] < 0) break;
                long row = shard.FirstRow + qi[r];
                if (row == excluded) continue;
                candidates++;
                if (kept < k)
                {
                    scores[q * k + kept] = qs[r];
                    indices[q * k + kept] = row;
                    kept++;
                }
                for (int t = 0; t < nt; t++)
                    if (qs[r] > settings.CountAbove[t]) counts[q * nt + t]++;
            }
            // every candidate looked at scored above t while the shard has more rows: there may be more above t
            bool more = request < shard.Rows;
            for (int t = 0; t < nt; t++)
                lower[q * nt + t] = more && candidates > 0 && counts[q * nt + t] == candidates;
        }
        return new Part(scores, indices, counts, lower);
    }

    private static void WritePart(Stream stream, string fingerprint, int nq, int k, int nt, Part part)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(PartMagic);
        w.Write(fingerprint);
        w.Write(nq);
        w.Write(k);
        w.Write(nt);
        foreach (var s in part.Scores) w.Write(s);
        foreach (var i in part.Indices) w.Write(i);
        foreach (var c in part.Counts) w.Write(c);
        foreach (var b in part.LowerBound) w.Write(b);
    }

    /// <summary>A part written for this search (same fingerprint and shape), or null (missing, from another search, or damaged).</summary>
    private static Part? ReadPart(string path, string fingerprint, int nq, int k, int nt)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
            if (r.ReadString() != PartMagic || r.ReadString() != fingerprint || r.ReadInt32() != nq || r.ReadInt32() != k || r.ReadInt32() != nt)
                return null;
            var part = new Part(new float[nq * k], new long[nq * k], new long[nq * nt], new bool[nq * nt]);
            for (int i = 0; i < part.Scores.Length; i++) part.Scores[i] = r.ReadSingle();
            for (int i = 0; i < part.Indices.Length; i++) part.Indices[i] = r.ReadInt64();
            for (int i = 0; i < part.Counts.Length; i++) part.Counts[i] = r.ReadInt64();
            for (int i = 0; i < part.LowerBound.Length; i++) part.LowerBound[i] = r.ReadBoolean();
            return r.BaseStream.Position == r.BaseStream.Length ? part : null;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return null;
        }
    }

    /// <summary>The queries' file, the store's manifest and every setting: parts of another search are never merged in.</summary>
    private static string Fingerprint(string queriesPath, string storeFolder, StoreSearchSettings s, long[]? exclude)
    {
        var sb = new StringBuilder();
        sb.Append(EmbeddingFiles.Sha256Of(queriesPath)).Append('\n');
        sb.Append(EmbeddingFiles.Sha256Of(Path.Combine(storeFolder, StoreFiles.Manifest))).Append('\n');
        sb.Append(s.Similarity).Append('\n').Append(s.K).Append('\n').Append(s.CountCap).Append('\n');
        sb.Append(string.Join(",", s.CountAbove.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        if (exclude is not null) sb.Append(string.Join(",", exclude));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void WriteOutputs(string outFolder, EmbeddingStore store, StoreSearchResult result, StoreSearchSettings settings, string queriesPath)
    {
        var m = result.Matches;
        var rows = store.Rows(m.Indices.Where(i => i >= 0));
        AtomicFile.Write(Path.Combine(outFolder, Matches), stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write("query,rank,row,score,shard,key,caption,url\n");
            for (int q = 0; q < m.Queries; q++)
                for (int r = 0; r < m.K; r++)
                {
                    long i = m.Indices[q * m.K + r];
                    if (i < 0) continue;
                    var row = rows[i];
                    w.Write(CsvTable.Line(q, r, i, m.Scores[q * m.K + r], row.Shard, row.Key, row.Caption, row.Url) + "\n");
                }
        });
        AtomicFile.Write(Path.Combine(outFolder, CountsFile), stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write("query,threshold,count,at_least\n");
            for (int q = 0; q < m.Queries; q++)
                for (int t = 0; t < result.Thresholds.Count; t++)
                    w.Write(CsvTable.Line(q, result.Thresholds[t], result.Count(q, t), result.CountIsLowerBound[q * result.Thresholds.Count + t] ? "yes" : "no") + "\n");
        });
        var summary = new
        {
            queries = Path.GetFullPath(queriesPath), store = Path.GetFullPath(store.Folder), similarity = settings.Similarity.ToString(), k = settings.K,
            count_above = settings.CountAbove, count_cap = settings.CountCap, query_rows = m.Queries, gallery_rows = store.Count,
            gallery_shards = store.Manifest.Shards.Count, parts_computed = result.PartsComputed, parts_reused = result.PartsReused,
            counts_lower_bounds = result.CountIsLowerBound.Count(b => b),
        };
        AtomicFile.WriteAllText(Path.Combine(outFolder, Summary), JsonSerializer.Serialize(summary, ShardEmbedder.Json));
    }
}
