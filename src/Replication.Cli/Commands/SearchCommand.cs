using System.Text;
using Replication.Search;
using Replication.Storage;

namespace Replication.Cli.Commands;

public sealed class SearchCommand : ICommand
{
    public string Name => "search";
    public string Summary => "exact top-k search of query embeddings against gallery embeddings (.npy) into a CSV";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("queries", "query embeddings .npy", Required: true),
        new("gallery", "gallery embeddings .npy (several: comma-separated, read as one gallery in order)", Required: true),
        new("k", "matches per query", "10"),
        CommonOptions.Metric, CommonOptions.Chunks, CommonOptions.Device, CommonOptions.SearchMemory,
        new("exclude-self", "queries and gallery are the same rows: never match a row with itself", IsFlag: true),
        new("strict", "refuse rows with NaN or infinite values (by default they are left out of the search and named on stderr)", IsFlag: true),
        new("out", "output CSV (query,rank,gallery,score; 0-based row indices)", Required: true),
    ];

    public int Run(CommandArgs a)
    {
        using var queries = NpyMatrix.Open(a.Require("queries"));
        var parts = a.Require("gallery").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(NpyMatrix.Open).ToList();
        try
        {
            var gallery = parts.Count == 1 ? (IVectorSource)parts[0] : new ConcatenatedVectors(parts);
            int k = (int)Math.Min(a.Int("k"), gallery.Count);
            var result = ConsoleProgress.Run(p => ExactSearch.Search(queries, gallery, CommonOptions.ParseSimilarity(a), k,
                CommonOptions.ParseDevice(a), a.Flag("exclude-self"), p.Search!("queries → gallery"), CommonOptions.ParseMemory(a), a.Flag("strict")));
            if (a.Int("k") > gallery.Count)
                Console.Error.WriteLine($"note: --k {a.Int("k")} is more than the gallery's {gallery.Count} rows: clamped to {gallery.Count} (a full ranking)");
            if (result.NonFiniteQueries.Count > 0)
                Console.Error.WriteLine($"warning: {NonFiniteRows.Describe(result.NonFiniteQueries, queries.Description)}: no matches written for them");
            if (result.NonFiniteGallery.Count > 0)
                Console.Error.WriteLine($"warning: {NonFiniteRows.Describe(result.NonFiniteGallery, gallery.Description)}: left out of the search (row numbers count across the whole gallery)");
            var sb = new StringBuilder("query,rank,gallery,score\n");
            for (int q = 0; q < result.Queries; q++)
                for (int r = 0; r < result.K; r++)
                {
                    long g = result.IndicesOf(q)[r];
                    if (g < 0) break;
                    sb.Append(CsvTable.Line(q, r, g, result.ScoresOf(q)[r])).Append('\n');
                }
            AtomicFile.WriteAllText(a.Require("out"), sb.ToString());
            Console.WriteLine($"{result.Queries} queries × top {result.K} written to {a.Require("out")}");
            return 0;
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
