using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Embeddings.Store;
using Replication.Search.Store;

namespace Replication.Cli.Commands;

public sealed class SearchStoreCommand : Command
{
    private readonly Option<string> _queries = OptionKinds.Text("--queries", "query embeddings .npy", required: true);
    private readonly Option<string> _store = OptionKinds.Text("--store", "a complete embedding store (embed --shards)", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder: parts/ (one per gallery shard, kept across runs), matches.csv, counts.csv, search.json", required: true);
    private readonly Option<int> _k = OptionKinds.Int("--k", "matches per query", 10);
    private readonly Option<string> _metric = CommonOptions.Metric();
    private readonly Option<int> _chunks = CommonOptions.Chunks();
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();
    private readonly Option<Setting<IReadOnlyList<float>>> _countAbove = OptionKinds.Setting<IReadOnlyList<float>>("--count-above",
        "thresholds t (comma-separated): per query, count the store rows scoring above t (e.g. 0.95 for duplicates); none by default", null,
        text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
            float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float t) && float.IsFinite(t)
                ? t
                : throw new UsageException($"--count-above: '{s}' is not a number", "--count-above")).ToList());
    private readonly Option<int> _countCap = OptionKinds.Int("--count-cap", "candidates per query and shard looked at for --count-above; counts that reach it are marked at_least",
        StoreSearchSettings.DefaultCountCap);
    private readonly Option<ShardSelection> _part = OptionKinds.Parsed("--part", "this process's part i/n of the gallery shards (shard index i modulo n): compute only their parts, no merge; run n processes (a job array), then --merge", "0/1",
        text => ShardSelection.Parse(text, "Part"));
    private readonly Option<bool> _merge = OptionKinds.Flag("--merge", "merge the parts that --part runs computed; computes nothing and names the parts missing");
    private readonly Option<string> _exclude = OptionKinds.Text("--exclude", "text file, one store row per query line (-1: none): the row that query must not match (its own caption's source)");

    public SearchStoreCommand() : base("search-store", "exact search of query embeddings against an embedding store, one persisted part per gallery shard, then an exact merge (resumable)")
    {
        foreach (var o in new Option[] { _queries, _store, _out, _k, _metric, _chunks, _device, _searchMemory, _countAbove, _countCap, _exclude, _part, _merge })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string queries = CommonOptions.Existing(p.GetValue(_queries)!, "--queries", "file");
        string store = CommonOptions.Existing(p.GetValue(_store)!, "--store", "folder");
        long[]? exclude = null;
        if (p.GetValue(_exclude) is { } excludePath)
        {
            CommonOptions.Existing(excludePath, "--exclude", "file");
            exclude = File.ReadLines(excludePath).Select((line, i) =>
                long.TryParse(line.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long row)
                    ? row
                    : throw new InputDataException($"{excludePath}, line {i + 1}: '{line}' is not a row number (-1: none)")).ToArray();
        }
        var settings = new StoreSearchSettings(Similarity.Parse(p.GetValue(_metric)!, p.GetValue(_chunks)), p.GetValue(_k), p.GetValue(_countAbove).Value ?? [],
            p.GetValue(_countCap), p.GetValue(_device).Value, p.GetValue(_searchMemory).Value);
        string outDir = p.GetValue(_out)!;
        void PartDone(int shard, bool reused) => Console.Error.WriteLine($"part {shard}: {(reused ? "done earlier, kept" : "searched")}");
        bool hasPart = p.GetResult(_part) is { Implicit: false }, merge = p.GetValue(_merge);
        if (hasPart && merge)
            throw new UsageException("--part computes parts and --merge merges them: give one (or neither, to do both in this process)", "--part");
        if (hasPart)
        {
            var selection = p.GetValue(_part);
            var parts = StoreSearch.RunParts(queries, store, outDir, settings, selection, exclude, PartDone);
            Console.WriteLine($"part {selection} of {parts.Parts} gallery shards: {parts.Computed} parts searched, {parts.Reused} kept" +
                              $" in {Path.Combine(outDir, StoreSearch.Parts)}; merge with search-store --merge once every part has run");
            foreach (var b in parts.Busy)
                Console.WriteLine($"left to the process that holds it: {b}");
            return ExitCodes.Success;
        }
        var result = merge
            ? StoreSearch.Merge(queries, store, outDir, settings, exclude)
            : StoreSearch.Run(queries, store, outDir, settings, exclude, PartDone);
        Console.WriteLine($"{result.Matches.Queries} queries: top {result.Matches.K} in {Path.Combine(outDir, StoreSearch.Matches)}" +
                          (settings.CountAbove.Count > 0 ? $", counts in {Path.Combine(outDir, StoreSearch.CountsFile)}" : "") +
                          $" ({result.PartsComputed} parts searched, {result.PartsReused} kept)");
        int bounds = result.CountIsLowerBound.Count(b => b);
        if (bounds > 0)
            Console.Error.WriteLine($"note: {bounds} counts reached --count-cap {settings.CountCap} in a shard and are lower bounds (at_least=yes); raise --count-cap for exact counts");
        return ExitCodes.Success;
    }
}
