using Replication.Analyses.Scanning;
using Replication.Data.Generations;
using Replication.Reporting.Metrics;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Search.Store;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// The paper's Section 7 analyses of generations against a training store, as persisted stages under one output folder:
/// <list type="number">
/// <item><c>search-generations/</c>: every embedded generation against the whole store (top-k, exact, one part per gallery shard);</item>
/// <item><c>search-sources/</c>: each caption source image against the rest of the store (top-1 with itself left out, and its
/// duplicate count above the duplicate threshold);</item>
/// <item><c>search-matches/</c>: the same for each generation's top-1 match image;</item>
/// <item><c>generations.csv</c> (one row per generation) and last <c>case-study.json</c> (<see cref="CaseStudyFiles"/>).</item>
/// </list>
/// Each search stage resumes from its finished parts. Generations that could not be embedded, and source keys that are not in
/// the store, are listed as problems and left out of the scores, never a crash.
/// </summary>
public static class CaseStudyRun
{
    public const string GenerationSearch = "search-generations";
    public const string SourceSearch = "search-sources";
    public const string MatchSearch = "search-matches";
    public const string Queries = "queries";

    /// <param name="manifestPath">The generations: <c>path,prompt,source_key,seed</c> (<see cref="GeneratedManifest"/>).</param>
    /// <param name="embeddingsFolder">Their embeddings (<c>embed --images MANIFEST</c>), with the same extractor as the store.</param>
    /// <summary>
    /// The study with its threshold chosen by <paramref name="threshold"/> under the scan's rule (<see cref="ThresholdChoice"/>):
    /// given or the paper's value as is; auto takes the 1% point of the training images' own top-1 (<see cref="CalibratedThreshold"/>:
    /// the caption sources, uniform draws from the training set, against the rest of the store), or the paper's value when that
    /// is not estimable or near-duplicates push it to 1. Calibrating needs one pass to find the sources' top-1; the second
    /// reuses every persisted search part.
    /// </summary>
    public static CaseStudyResult Run(string storeFolder, string manifestPath, string embeddingsFolder, string outFolder, CaseStudySettings settings,
        ThresholdPolicy threshold, Action<string>? log = null, CardCalibration? card = null)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(settings);
        if (threshold.Fixed is double t) return Run(storeFolder, manifestPath, embeddingsFolder, outFolder, settings with { Threshold = t }, log);
        var first = Run(storeFolder, manifestPath, embeddingsFolder, outFolder, settings with { Threshold = ThresholdPolicy.PaperValue }, log);
        // the scan's rule (ThresholdChoice): near-duplicate sources make the 1% point meaningless, and a similarity without a
        // fixed scale has no automatic threshold
        var sources = first.Sampled.Where(g => g.SourceRow >= 0).GroupBy(g => g.SourceRow).Select(g => g.First().SourceTop1).ToArray();
        double share = sources.Length == 0 ? 0 : sources.Count(v => v >= ThresholdChoice.NearDuplicate) / (double)sources.Length;
        var choice = ThresholdChoice.Choose(threshold, settings.Similarity, [CalibratedThreshold(first)], share, card, first.StoreRows);
        if (!double.IsFinite(choice.Value)) throw new ParameterException("Threshold", threshold.ToString(), choice.Reason + "; give a number");
        log?.Invoke($"threshold {choice.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {choice.Reason}");
        return choice.Value == first.Threshold ? first : Run(storeFolder, manifestPath, embeddingsFolder, outFolder, settings with { Threshold = choice.Value }, log);
    }

    /// <summary>The 1% point of the training images' own top-1 (the caption sources: uniform draws from the training set).</summary>
    public static CalibratedThreshold CalibratedThreshold(CaseStudyResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var self = r.Sampled.Where(g => g.SourceRow >= 0).GroupBy(g => g.SourceRow).Select(g => g.First().SourceTop1).ToArray();
        return ThresholdCalibration.Calibrate(self, r.Sampled.Select(g => g.Top1).ToArray(), [ThresholdPolicy.CalibrationExceedance])[0];
    }

    public static CaseStudyResult Run(string storeFolder, string manifestPath, string embeddingsFolder, string outFolder, CaseStudySettings settings,
        Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeFolder);
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        ArgumentException.ThrowIfNullOrEmpty(embeddingsFolder);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        log ??= _ => { };

        // every input checked before any search
        var generations = GeneratedManifest.Read(manifestPath, requireFiles: false);
        var info = EmbeddingFiles.ReadInfo(embeddingsFolder);
        using var store = EmbeddingStore.Open(storeFolder);
        if (info.Rows > 0 && info.Dimension != store.Dimension)
            throw new InputDataException($"{embeddingsFolder}: embeddings of dimension {info.Dimension}, the store {storeFolder} has {store.Dimension}");
        if (!string.Equals(info.Model, store.Manifest.Model, StringComparison.Ordinal))
            throw new InputDataException($"{embeddingsFolder} was embedded with {info.Model}, the store {storeFolder} with {store.Manifest.Model}: embed both with the same extractor");
        settings.Similarity.Validate(store.Dimension);
        if (store.Count == 0) throw new InputDataException($"{storeFolder}: the store has no rows to search");
        var embedded = EmbeddingFiles.ReadImages(embeddingsFolder);
        var skipped = File.Exists(Path.Combine(embeddingsFolder, EmbeddingFiles.Skipped))
            ? EmbeddingFiles.ReadSkipped(embeddingsFolder).GroupBy(s => Path.GetFullPath(s.Path)).ToDictionary(g => g.Key, g => g.First().Reason)
            : [];
        var embeddedRow = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < embedded.Count; i++) embeddedRow.TryAdd(Path.GetFullPath(embedded[i].Path), i);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var generationProblem = new string?[generations.Count];
        var queryOf = new int[generations.Count]; // generation → its row among the queries (-1: not scored)
        var queryRows = new List<int>(); // query → embedding row
        for (int g = 0; g < generations.Count; g++)
        {
            string path = generations[g].Path;
            queryOf[g] = -1;
            if (!seen.TryAdd(path, g))
                throw new InputDataException($"{manifestPath}, row {g + 1}: {path} is listed twice (also row {seen[path] + 1})");
            if (embeddedRow.TryGetValue(path, out int e))
            {
                queryOf[g] = queryRows.Count;
                queryRows.Add(e);
            }
            else
            {
                generationProblem[g] = skipped.TryGetValue(path, out var reason) ? $"not embedded: {reason}" : $"not in {embeddingsFolder} (embed the manifest's images)";
                problems.Add($"generation {g + 1} ({path}): {generationProblem[g]}");
            }
        }
        if (queryRows.Count == 0)
            throw new InputDataException($"{embeddingsFolder}: none of the {generations.Count} generations of {manifestPath} is embedded there");

        using var outputLock = OutputLock.Acquire(outFolder);
        string summary = Path.Combine(outFolder, CaseStudyFiles.Summary);
        if (File.Exists(summary)) File.Delete(summary); // written again last: a reader never sees a summary of other stages
        string queriesDir = Path.Combine(outFolder, Queries);
        Directory.CreateDirectory(queriesDir);
        int dim = store.Dimension;

        // 1. generations → store
        string genQueries = Path.Combine(queriesDir, "generations.npy");
        var genVectors = new float[queryRows.Count * dim];
        using (var m = NpyMatrix.Open(Path.Combine(embeddingsFolder, EmbeddingFiles.Vectors)))
            for (int q = 0; q < queryRows.Count; q++)
                m.ReadRows(queryRows[q], 1, genVectors.AsSpan(q * dim, dim));
        WriteIfChanged(genQueries, genVectors, dim);
        log($"searching {queryRows.Count} generations against {store.Count:N0} store rows in {store.Manifest.Shards.Count} shards");
        var genSearch = StoreSearch.Run(genQueries, storeFolder, Path.Combine(outFolder, GenerationSearch),
            new StoreSearchSettings(settings.Similarity, settings.K, [], settings.CountCap, settings.Device, settings.MemoryBudgetBytes)).Matches;

        // 2. the generations' caption sources, by key
        var wanted = generations.Where((x, g) => queryOf[g] >= 0 && x.HasSource).Select(x => x.SourceKey).ToHashSet(StringComparer.Ordinal);
        var keyRows = FindKeys(store, wanted);
        foreach (var (key, rows) in keyRows.Where(kv => kv.Value.Count > 1).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            problems.Add($"source key {key} is in {rows.Count} store rows ({string.Join(", ", rows.Take(5))}{(rows.Count > 5 ? ", ..." : "")}); the first is used");
        var sourceRowOf = new long[generations.Count];
        for (int g = 0; g < generations.Count; g++)
        {
            sourceRowOf[g] = -1;
            if (queryOf[g] < 0 || !generations[g].HasSource) continue;
            if (keyRows.TryGetValue(generations[g].SourceKey, out var rows)) sourceRowOf[g] = rows[0];
            else problems.Add($"generation {g + 1}: source key {generations[g].SourceKey} is not in the store (no generation-vs-source scores)");
        }

        // 3. sources → rest of the store (top-1 and duplicates), 4. match images → rest of the store
        var sourceRows = sourceRowOf.Where(r => r >= 0).Distinct().Order().ToArray();
        var matchRows = Enumerable.Range(0, generations.Count).Where(g => queryOf[g] >= 0)
            .Select(g => genSearch.Indices[queryOf[g] * genSearch.K]).Where(r => r >= 0).Distinct().Order().ToArray();
        log($"searching {sourceRows.Length} source images and {matchRows.Length} match images against the rest of the store");
        var sourceVectors = ReadStoreRows(store, sourceRows);
        var sourceScan = SearchRows(store, storeFolder, sourceRows, sourceVectors, Path.Combine(queriesDir, "sources.npy"), Path.Combine(outFolder, SourceSearch), settings);
        var matchScan = SearchRows(store, storeFolder, matchRows, ReadStoreRows(store, matchRows), Path.Combine(queriesDir, "matches.npy"), Path.Combine(outFolder, MatchSearch), settings);

        // per generation
        var meta = store.Rows(sourceRows.Concat(matchRows).Distinct());
        var rowsOut = new List<GenerationRow>(generations.Count);
        for (int g = 0; g < generations.Count; g++)
        {
            var x = generations[g];
            int q = queryOf[g];
            if (q < 0)
            {
                rowsOut.Add(new GenerationRow(g, x.Path, x.Prompt, x.SourceKey, x.Seed, float.NaN, -1, null, null, -1, null, float.NaN, float.NaN, false,
                    float.NaN, 0, false, 0, false, generationProblem[g]));
                continue;
            }
            float top1 = genSearch.Scores[q * genSearch.K];
            long match = genSearch.Indices[q * genSearch.K];
            if (match < 0 || !float.IsFinite(top1))
            {
                const string why = "no finite match (its embedding holds NaN or infinite values)";
                problems.Add($"generation {g + 1} ({x.Path}): {why}");
                rowsOut.Add(new GenerationRow(g, x.Path, x.Prompt, x.SourceKey, x.Seed, float.NaN, -1, null, null, -1, null, float.NaN, float.NaN, false,
                    float.NaN, 0, false, 0, false, why));
                continue;
            }
            long source = sourceRowOf[g];
            float own = float.NaN, withoutSource = float.NaN, sourceTop1 = float.NaN;
            long sourceDup = 0, matchDup = 0;
            bool sourceAtLeast = false, matchAtLeast = false;
            if (source >= 0)
            {
                int at = Array.BinarySearch(sourceRows, source); // sourceRows is sorted
                own = PairScore.Score(settings.Similarity, genVectors.AsSpan(q * dim, dim), sourceVectors.AsSpan(at * dim, dim));
                for (int r = 0; r < genSearch.K; r++)
                {
                    long i = genSearch.Indices[q * genSearch.K + r];
                    if (i >= 0 && i != source) { withoutSource = genSearch.Scores[q * genSearch.K + r]; break; }
                }
                (sourceTop1, sourceDup, sourceAtLeast) = sourceScan[source];
            }
            (_, matchDup, matchAtLeast) = matchScan[match];
            rowsOut.Add(new GenerationRow(g, x.Path, x.Prompt, x.SourceKey, x.Seed, top1, match, meta[match].Key,
                meta[match].Caption, source, source >= 0 ? meta[source].Caption : null, own, withoutSource,
                source >= 0 && match == source, sourceTop1, sourceDup, sourceAtLeast, matchDup, matchAtLeast, null));
        }
        var result = Summarize(storeFolder, store, settings, rowsOut, problems);
        CaseStudyFiles.Write(outFolder, result);
        log($"{result.AboveThreshold.Describe()} above {settings.Threshold}; results in {outFolder}");
        return result;
    }

    /// <summary>The rate, duplicate populations and header of a result from its rows.</summary>
    internal static CaseStudyResult Summarize(string storeFolder, EmbeddingStore store, CaseStudySettings s, IReadOnlyList<GenerationRow> rows, IReadOnlyList<string> problems)
    {
        var sampled = rows.Where(r => r.Scored && r.FromTrainingCaption).ToList();
        var above = Proportion.Estimate(sampled.Select(r => r.Top1 > s.Threshold).ToList(), s.BootstrapSamples, s.Seed);
        var duplicates = DuplicateSummary.FromRows(rows, s.Threshold);
        return new CaseStudyResult(Path.GetFullPath(storeFolder), store.Manifest.Model, store.Count, store.Manifest.Shards.Count, s.Similarity.ToString(),
            s.Threshold, s.DuplicateThreshold, rows, above, duplicates, problems);
    }

    /// <summary>Store rows against the rest of the store: per row, its top-1 (itself left out) and how many rows score above the duplicate threshold.</summary>
    private static Dictionary<long, (float Top1, long Duplicates, bool AtLeast)> SearchRows(EmbeddingStore store, string storeFolder, long[] rows,
        float[] vectors, string queriesPath, string outFolder, CaseStudySettings s)
    {
        var found = new Dictionary<long, (float, long, bool)>();
        if (rows.Length == 0 || store.Count < 2) return rows.ToDictionary(r => r, _ => (float.NaN, 0L, false));
        WriteIfChanged(queriesPath, vectors, store.Dimension);
        var result = StoreSearch.Run(queriesPath, storeFolder, outFolder,
            new StoreSearchSettings(s.Similarity, 1, [(float)s.DuplicateThreshold], s.CountCap, s.Device, s.MemoryBudgetBytes), exclude: rows);
        for (int i = 0; i < rows.Length; i++)
            found[rows[i]] = (result.Matches.Scores[i], result.Count(i, 0), result.CountIsLowerBound[i]);
        return found;
    }

    /// <summary>The vectors of the given store rows, in their order.</summary>
    private static float[] ReadStoreRows(EmbeddingStore store, long[] rows)
    {
        int dim = store.Dimension;
        var vectors = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++) store.ReadRows(rows[i], 1, vectors.AsSpan(i * dim, dim));
        return vectors;
    }

    /// <summary>The store rows of the wanted keys, read one shard's sidecar at a time (never the whole key list in memory).</summary>
    private static Dictionary<string, List<long>> FindKeys(EmbeddingStore store, HashSet<string> wanted)
    {
        var found = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var row in store.AllRows())
            if (wanted.Contains(row.Key))
            {
                if (!found.TryGetValue(row.Key, out var list)) found[row.Key] = list = [];
                list.Add(row.Row);
            }
        return found;
    }

    /// <summary>Writes the query matrix unless the same bytes are there already (so that finished search parts stay valid).</summary>
    private static void WriteIfChanged(string path, float[] data, int columns)
    {
        string fresh = path + ".new";
        NpyWriter.Write(fresh, data, columns);
        if (File.Exists(path) && EmbeddingFiles.Sha256Of(path) == EmbeddingFiles.Sha256Of(fresh)) File.Delete(fresh);
        else File.Move(fresh, path, overwrite: true);
    }
}
