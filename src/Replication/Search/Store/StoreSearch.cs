using System.Globalization;
using System.Text;
using System.Text.Json;
using Replication.Embeddings;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Embeddings.Store;

namespace Replication.Search.Store;

/// <summary>
/// Exact search of query vectors against an embedding store as persisted stages: each gallery shard is searched with
/// <see cref="ExactSearch"/> (all queries × that shard, memory bounded by the budget) and its partial top-k and range counts are
/// written to <c>parts/NNNNN.part</c> (whole or not at all); a run that was interrupted keeps the parts it finished. The merge
/// then reads the parts one at a time and keeps the global top-k (equal scores: lower row first), writing <c>matches.csv</c>
/// (query, rank, row, score, shard, key, caption, url), <c>counts.csv</c> and last <c>search.json</c>. Reports read these files.
/// A query may exclude one store row (its own caption's source image): that row is never among its matches nor counted.
/// The stages also run apart (<see cref="RunParts"/>, <see cref="Merge"/>): n processes or job-array tasks each compute the parts of
/// their gallery shards (i modulo n) into one output folder, each part under its own lock, and one merge follows.
/// </summary>
public static class StoreSearch
{
    public const string Parts = "parts";
    public const string Matches = "matches.csv";
    public const string CountsFile = "counts.csv";
    public const string Summary = "search.json";
    private const string PartMagic = "replication-store-search-part/2"; // 2: a SHA-256 of the part ends it

    /// <summary>Every part (those done earlier kept), then the merge: the single-process search.</summary>
    /// <param name="exclude">Per query, the store row it must not match (-1: none); null: no exclusions.</param>
    public static StoreSearchResult Run(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, long[]? exclude = null,
        Action<int, bool>? partDone = null)
    {
        using var context = Context.Open(queriesPath, storeFolder, outFolder, settings, exclude);
        using var outputLock = OutputLock.Acquire(outFolder);
        BeginOutputs(outFolder);
        // a part another live process computes (an array task) is its own: this run stops with that lock's message
        var (computed, reused, _) = ComputeParts(context, ShardSelection.All, partDone, leaveBusy: false);
        return MergeParts(context, computed, reused);
    }

    /// <summary>
    /// The parts of the gallery shards that <paramref name="selection"/> includes (shard index i modulo n), no merge: n processes
    /// (a job array's tasks), each given its own i, compute every part into one output folder side by side. Each part is written
    /// under its own lock (<c>parts/.NNNNN.lock</c>), never one lock for the folder; a part done earlier is kept, one locked by
    /// another live process is left to it (<see cref="StorePartsResult.Busy"/>). <see cref="Merge"/> (or <see cref="Run"/>) then merges.
    /// </summary>
    public static StorePartsResult RunParts(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, ShardSelection selection,
        long[]? exclude = null, Action<int, bool>? partDone = null)
    {
        using var context = Context.Open(queriesPath, storeFolder, outFolder, settings, exclude);
        var (computed, reused, busy) = ComputeParts(context, selection, partDone, leaveBusy: true);
        return new StorePartsResult(selection, context.Store.Manifest.Shards.Count, computed, reused, busy);
    }

    /// <summary>
    /// The merge alone: every part must be there (written for this search); otherwise an <see cref="InputDataException"/> names the
    /// missing parts and nothing is computed.
    /// </summary>
    public static StoreSearchResult Merge(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, long[]? exclude = null)
    {
        using var context = Context.Open(queriesPath, storeFolder, outFolder, settings, exclude);
        using var outputLock = OutputLock.Acquire(outFolder);
        var missing = MissingParts(context);
        if (missing.Count > 0)
        {
            int n = context.Store.Manifest.Shards.Count;
            throw new InputDataException($"{outFolder}: {missing.Count} of {n} parts missing (or written for another search): " +
                                         $"{Ranges(missing)}; compute the missing parts first, or search the whole store in one process");
        }
        BeginOutputs(outFolder);
        return MergeParts(context, 0, context.Store.Manifest.Shards.Count);
    }

    /// <summary>The gallery shards whose part is not there for this search, in order.</summary>
    public static IReadOnlyList<int> MissingParts(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, long[]? exclude = null)
    {
        using var context = Context.Open(queriesPath, storeFolder, outFolder, settings, exclude);
        return MissingParts(context);
    }

    private static List<int> MissingParts(Context c) =>
        c.Store.Manifest.Shards.Where(shard => ReadPart(c.PartPath(shard.Index), c.Fingerprint, c.Nq, c.Settings.K, c.Nt, c.Store.Count) is null)
            .Select(shard => shard.Index).ToList();

    /// <summary><c>0-3, 7, 9-10</c>.</summary>
    internal static string Ranges(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <summary>Under the folder lock: partial outputs of a killed merge go; the summary is written again last.</summary>
    private static void BeginOutputs(string outFolder)
    {
        foreach (var partial in Directory.GetFiles(outFolder, "*.partial"))
            File.Delete(partial);
        string summaryPath = Path.Combine(outFolder, Summary);
        if (File.Exists(summaryPath)) File.Delete(summaryPath); // done again below; a reader never sees a summary of other parts
    }

    /// <summary>What every stage checks and opens first: the inputs, their agreement, and the search's fingerprint.</summary>
    private sealed class Context : IDisposable
    {
        private Context(EmbeddingStore store, NpyMatrix queries, string outFolder, string queriesPath, StoreSearchSettings settings, long[]? exclude)
        {
            Store = store;
            Queries = queries;
            OutFolder = outFolder;
            QueriesPath = queriesPath;
            Settings = settings;
            Exclude = exclude;
            Nq = checked((int)queries.Rows);
            Nt = settings.CountAbove.Count;
            PartsFolder = Path.Combine(outFolder, Parts);
            Fingerprint = StoreSearch.Fingerprint(queriesPath, store.Folder, settings, exclude);
        }

        public EmbeddingStore Store { get; }
        public NpyMatrix Queries { get; }
        public string OutFolder { get; }
        public string QueriesPath { get; }
        public StoreSearchSettings Settings { get; }
        public long[]? Exclude { get; }
        public int Nq { get; }
        public int Nt { get; }
        public string PartsFolder { get; }
        public string Fingerprint { get; }

        public string PartPath(int shard) => Path.Combine(PartsFolder, $"{shard:D5}.part");

        public static Context Open(string queriesPath, string storeFolder, string outFolder, StoreSearchSettings settings, long[]? exclude)
        {
            ArgumentException.ThrowIfNullOrEmpty(queriesPath);
            ArgumentException.ThrowIfNullOrEmpty(storeFolder);
            ArgumentException.ThrowIfNullOrEmpty(outFolder);
            ArgumentNullException.ThrowIfNull(settings);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.K);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.CountCap);
            var store = EmbeddingStore.Open(storeFolder);
            NpyMatrix? queries = null;
            try
            {
                queries = NpyMatrix.Open(queriesPath);
                ExactSearch.Check(queries, store);
                settings.Similarity.Validate(queries.Columns);
                int nq = checked((int)queries.Rows);
                if (exclude is not null && exclude.Length != nq)
                    throw new InputDataException($"the exclusions give {exclude.Length} rows for {nq} queries in {queriesPath}");
                if (exclude is not null)
                    foreach (long row in exclude)
                        if (row < -1 || row >= store.Count)
                            throw new InputDataException($"an excluded row {row} is outside the store's rows 0..{store.Count - 1} (-1: none)");
                foreach (var t in settings.CountAbove) settings.Similarity.ValidateThreshold(t, "CountAbove");
                Directory.CreateDirectory(Path.Combine(outFolder, Parts));
                return new Context(store, queries, outFolder, queriesPath, settings, exclude);
            }
            catch
            {
                queries?.Dispose();
                store.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Queries.Dispose();
            Store.Dispose();
        }
    }

    /// <summary>
    /// The selected parts, each under its own lock: partials a killed run left of it are deleted, a part done for this search is
    /// kept, any other is computed and written atomically. A part locked by another live process is left to it when
    /// <paramref name="leaveBusy"/> (listed), else its <see cref="OutputLockedException"/> stops the run.
    /// </summary>
    private static (int Computed, int Reused, List<string> Busy) ComputeParts(Context c, ShardSelection selection, Action<int, bool>? partDone, bool leaveBusy)
    {
        int computed = 0, reused = 0;
        var busy = new List<string>();
        var settings = c.Settings;
        OrtBlockScorer? scorer = null; // one search-graph session for every shard
        try
        {
            foreach (var shard in c.Store.Manifest.Shards)
            {
                if (!selection.Includes(shard.Index)) continue;
                string path = c.PartPath(shard.Index);
                OutputLock partLock;
                try
                {
                    partLock = OutputLock.Acquire(c.PartsFolder, $".{shard.Index:D5}.lock");
                }
                catch (OutputLockedException e) when (leaveBusy)
                {
                    busy.Add(e.Message.Split(';')[0]);
                    continue;
                }
                using (partLock)
                {
                    foreach (var partial in Directory.GetFiles(c.PartsFolder, $".{Path.GetFileName(path)}.*.partial"))
                        File.Delete(partial); // left by a run that was killed; the part's lock says no other writer owns it
                    if (ReadPart(path, c.Fingerprint, c.Nq, settings.K, c.Nt, c.Store.Count) is not null)
                    {
                        reused++;
                        partDone?.Invoke(shard.Index, true);
                        continue;
                    }
                    string summaryPath = Path.Combine(c.OutFolder, Summary);
                    if (File.Exists(summaryPath)) File.Delete(summaryPath); // the outputs no longer describe these parts
                    scorer ??= new OrtBlockScorer(c.Queries.Columns, settings.Similarity, settings.Device);
                    var part = SearchShard(c.Queries, c.Store, shard, settings, c.Exclude, scorer);
                    AtomicFile.Write(path, s => WritePart(s, c.Fingerprint, c.Nq, settings.K, c.Nt, part));
                    computed++;
                    partDone?.Invoke(shard.Index, false);
                }
            }
        }
        finally
        {
            scorer?.Dispose();
        }
        return (computed, reused, busy);
    }

    /// <summary>The merge (under the folder lock): one part in memory at a time, running top-k per query; then the outputs.</summary>
    private static StoreSearchResult MergeParts(Context c, int computed, int reused)
    {
        var settings = c.Settings;
        int nq = c.Nq, nt = c.Nt;
        var acc = new TopKAccumulator(nq, settings.K);
        var counts = new long[nq * nt];
        var lower = new bool[nq * nt];
        foreach (var shard in c.Store.Manifest.Shards)
        {
            var part = ReadPart(c.PartPath(shard.Index), c.Fingerprint, nq, settings.K, nt, c.Store.Count)
                       ?? throw new InputDataException($"{c.OutFolder}: part {shard.Index} changed while merging; run the search again");
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
        WriteOutputs(c.OutFolder, c.Store, result, settings, c.QueriesPath);
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
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
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
        body.Position = 0;
        body.CopyTo(stream);
        stream.Write(System.Security.Cryptography.SHA256.HashData(body.ToArray())); // checked before the part is used
    }

    /// <summary>A part written for this search (same fingerprint and shape) whose checksum holds and whose rows are store rows,
    /// or null (missing, from another search, or damaged: then computed again).</summary>
    private static Part? ReadPart(string path, string fingerprint, int nq, int k, int nt, long storeRows = long.MaxValue)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 32) return null;
            var body = bytes.AsSpan(0, bytes.Length - 32);
            if (!System.Security.Cryptography.SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32))) return null;
            using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32, writable: false), Encoding.UTF8);
            if (r.ReadString() != PartMagic || r.ReadString() != fingerprint || r.ReadInt32() != nq || r.ReadInt32() != k || r.ReadInt32() != nt)
                return null;
            var part = new Part(new float[nq * k], new long[nq * k], new long[nq * nt], new bool[nq * nt]);
            for (int i = 0; i < part.Scores.Length; i++) part.Scores[i] = r.ReadSingle();
            for (int i = 0; i < part.Indices.Length; i++) part.Indices[i] = r.ReadInt64();
            for (int i = 0; i < part.Counts.Length; i++) part.Counts[i] = r.ReadInt64();
            for (int i = 0; i < part.LowerBound.Length; i++) part.LowerBound[i] = r.ReadBoolean();
            if (part.Indices.Any(i => i < -1 || i >= storeRows)) return null;
            return r.BaseStream.Position == r.BaseStream.Length ? part : null;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or OverflowException)
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
