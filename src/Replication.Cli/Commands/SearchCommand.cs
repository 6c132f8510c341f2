using System.CommandLine;
using System.Text;
using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Cli.Commands;

public sealed class SearchCommand : Command
{
    private readonly Option<string> _queries = OptionKinds.Text("--queries", "query embeddings .npy", required: true);
    private readonly Option<string> _gallery = OptionKinds.Text("--gallery", "gallery embeddings .npy (several: comma-separated, read as one gallery in order)", required: true);
    private readonly Option<int> _k = OptionKinds.Int("--k", "matches per query (above the gallery size: a full ranking)", 10, max: int.MaxValue);
    private readonly Option<string> _metric = CommonOptions.Metric();
    private readonly Option<int> _chunks = CommonOptions.Chunks();
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();
    private readonly Option<bool> _excludeSelf = OptionKinds.Flag("--exclude-self", "queries and gallery are the same rows: never match a row with itself");
    private readonly Option<bool> _strict = OptionKinds.Flag("--strict", "refuse rows with NaN or infinite values (by default they are left out of the search and named on stderr)");
    private readonly Option<string> _out = OptionKinds.Text("--out", "output CSV (query,rank,gallery,score; 0-based row indices)", required: true);

    public SearchCommand() : base("search", "exact top-k search of query embeddings against gallery embeddings (.npy) into a CSV")
    {
        foreach (var o in new Option[] { _queries, _gallery, _k, _metric, _chunks, _device, _searchMemory, _excludeSelf, _strict, _out })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        var galleryPaths = p.GetValue(_gallery)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (galleryPaths.Length == 0) throw new UsageException($"--gallery '{p.GetValue(_gallery)}': no file named", "--gallery");
        CommonOptions.Existing(p.GetValue(_queries)!, "--queries", "file");
        foreach (var g in galleryPaths) CommonOptions.Existing(g, "--gallery", "file");
        var similarity = Similarity.Parse(p.GetValue(_metric)!, p.GetValue(_chunks));
        int requestedK = p.GetValue(_k);
        string outPath = p.GetValue(_out)!;
        using var queries = NpyMatrix.Open(p.GetValue(_queries)!);
        var parts = new List<NpyMatrix>();
        try
        {
            foreach (var g in galleryPaths) parts.Add(NpyMatrix.Open(g));
            var gallery = parts.Count == 1 ? (IVectorSource)parts[0] : new ConcatenatedVectors(parts);
            // known from the headers: the chunks must divide the dimension (a mismatch of the two is the data's fault, said by the search)
            if (queries.Columns == gallery.Dimension) similarity.Validate(queries.Columns);
            int k = (int)Math.Max(1, Math.Min(requestedK, gallery.Count)); // an empty gallery is the search's to refuse, by name
            var result = ConsoleProgress.Run(progress => ExactSearch.Search(queries, gallery, similarity, k,
                p.GetValue(_device).Value, p.GetValue(_excludeSelf), progress.Search!("queries → gallery"), p.GetValue(_searchMemory).Value, p.GetValue(_strict)));
            if (requestedK > gallery.Count)
                Console.Error.WriteLine($"note: --k {requestedK} is more than the gallery's {gallery.Count} rows: clamped to {gallery.Count} (a full ranking)");
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
            AtomicFile.WriteAllText(outPath, sb.ToString());
            Console.WriteLine($"{result.Queries} queries × top {result.K} written to {outPath}");
            return ExitCodes.Success;
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }
}
