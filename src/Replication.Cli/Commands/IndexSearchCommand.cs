using System.CommandLine;
using System.Text;
using System.Text.Json;
using Replication.Search.Approximate;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Cli.Commands;

public sealed class IndexSearchCommand : Command
{
    public const string Matches = "matches.csv";
    public const string Summary = "search.json";

    private readonly Option<string> _queries = OptionKinds.Text("--queries", "query embeddings .npy", required: true);
    private readonly Option<string> _store = OptionKinds.Text("--store", "the embedding store the index was built from");
    private readonly Option<string> _gallery = OptionKinds.Text("--gallery", "or the embeddings .npy it was built from");
    private readonly Option<string> _index = OptionKinds.Text("--index", "index folder (default: STORE/hnsw, or GALLERY.npy.hnsw)");
    private readonly Option<string> _out = OptionKinds.Text("--out", $"output folder: {Matches} and {Summary} (with the recall against exact search)", required: true);
    private readonly Option<int> _k = OptionKinds.Int("--k", "matches per query", 10);
    private readonly Option<string> _metric = CommonOptions.Metric();
    private readonly Option<int> _expansionSearch = OptionKinds.Int("--expansion-search", "candidates the graph search keeps (efSearch; the index keeps at least 64 and at least k): higher is slower and finds more",
        HnswSettings.DefaultExpansionSearch);
    private readonly Option<int> _recallQueries = OptionKinds.Int("--recall-queries", "queries also searched exactly to measure recall (all of them when there are fewer; a seeded sample otherwise)",
        ApproximateSearch.DefaultRecallQueries);
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "seed of the recall sample", 0, min: 0, max: int.MaxValue);
    private readonly Option<string> _exclude = OptionKinds.Text("--exclude", "text file, one gallery row per query line (-1: none): the row that query must not match (its own caption's source), in both searches");
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();

    public IndexSearchCommand() : base("search", "approximate top-k through an HNSW index, with recall@1 and recall@10 against exact search on the same queries (exact search, search-store, stays the reference)")
    {
        foreach (var o in new Option[] { _queries, _store, _gallery, _index, _out, _k, _metric, _expansionSearch, _recallQueries, _seed, _exclude, _device, _searchMemory })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        HnswIndex.CheckSimilarity(Similarity.Parse(p.GetValue(_metric)!, 1));
        string queriesPath = CommonOptions.Existing(p.GetValue(_queries)!, "--queries", "file");
        var (gallery, galleryPath, owner, store) = VectorSources.OpenGallery(p.GetValue(_store), p.GetValue(_gallery));
        using (owner)
        {
            string indexFolder = p.GetValue(_index) ?? HnswIndex.DefaultFolder(galleryPath);
            using var queries = NpyMatrix.Open(queriesPath);
            using var index = HnswIndex.Open(indexFolder, gallery);
            int k = p.GetValue(_k);
            long[]? exclude = p.GetValue(_exclude) is { } excludePath ? ReadExclusions(excludePath, gallery.Count) : null;
            var result = ApproximateSearch.Run(queries, gallery, index, k, p.GetValue(_expansionSearch), p.GetValue(_recallQueries), (ulong)p.GetValue(_seed),
                p.GetValue(_device).Value, p.GetValue(_searchMemory).Value, exclude);
            string outFolder = p.GetValue(_out)!;
            Directory.CreateDirectory(outFolder);
            using var outputLock = OutputLock.Acquire(outFolder);
            WriteMatches(Path.Combine(outFolder, Matches), result.Matches, store);
            var r = result.Recall;
            var summary = new
            {
                approximate = true, method = "hnsw (usearch 2.26.6)", queries = Path.GetFullPath(queriesPath), gallery = Path.GetFullPath(galleryPath),
                index = Path.GetFullPath(indexFolder), similarity = "ip", k, expansion_search = result.ExpansionSearch, query_rows = r.Queries, gallery_rows = gallery.Count,
                recall_at_1 = r.RecallAt1, recall_at_10 = r.RecallAt10, recall_queries_measured = r.QueriesMeasured,
                recall_reference = "exact search (ExactSearch) on the same queries", excluded_rows = exclude is not null, search_seconds = Math.Round(result.SearchSeconds, 3),
                exact_seconds_on_measured_queries = Math.Round(r.ExactSeconds, 3), index_connectivity = index.Info.Connectivity,
                index_expansion_add = index.Info.ExpansionAdd, index_build_seconds = index.Info.BuildSeconds,
            };
            AtomicFile.WriteAllText(Path.Combine(outFolder, Summary), JsonSerializer.Serialize(summary, ShardEmbedder.Json));
            Console.WriteLine($"{r.Queries} queries: approximate top {k} in {Path.Combine(outFolder, Matches)} ({result.SearchSeconds:F2} s)");
            Console.WriteLine($"recall against exact search on {r.QueriesMeasured} of {r.Queries} queries: recall@1 {r.RecallAt1:F4}, recall@10 {r.RecallAt10:F4} " +
                              $"(exact search took {r.ExactSeconds:F2} s on them; efSearch {result.ExpansionSearch})");
        }
        return ExitCodes.Success;
    }

    private static long[] ReadExclusions(string path, long rows)
    {
        CommonOptions.Existing(path, "--exclude", "file");
        return File.ReadLines(path).Select((line, i) =>
            long.TryParse(line.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long row) && row >= -1 && row < rows
                ? row
                : throw new InputDataException($"{path}, line {i + 1}: '{line}' is not a row of the gallery's 0..{rows - 1} (-1: none)")).ToArray();
    }

    private static void WriteMatches(string path, SearchResult m, EmbeddingStore? store)
    {
        var rows = store?.Rows(m.Indices.Where(i => i >= 0));
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(store is null ? "query,rank,row,score\n" : "query,rank,row,score,shard,key,caption,url\n");
            for (int q = 0; q < m.Queries; q++)
                for (int r = 0; r < m.K; r++)
                {
                    long i = m.Indices[q * m.K + r];
                    if (i < 0) continue;
                    float score = m.Scores[q * m.K + r];
                    if (rows is null) w.Write(CsvTable.Line(q, r, i, score) + "\n");
                    else
                    {
                        var row = rows[i];
                        w.Write(CsvTable.Line(q, r, i, score, row.Shard, row.Key, row.Caption, row.Url) + "\n");
                    }
                }
        });
    }
}
