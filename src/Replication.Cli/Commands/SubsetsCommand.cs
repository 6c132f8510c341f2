using System.Globalization;
using Replication.Datasets;
using Replication.Imaging;

namespace Replication.Cli.Commands;

public sealed class SubsetsCommand : ICommand
{
    public string Name => "subsets";
    public string Summary => "nested, de-duplicated training subsets of a pool of images (subset-N.csv manifests for train_ddpm.py and scan)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("images", "the pool: a folder (recursive) or manifest CSV", Required: true),
        new("sizes", "subset sizes, comma-separated (each subset is a prefix of the next)", Required: true),
        new("out", "output folder for subset-N.csv, dropped.csv, subsets.json", Required: true),
        new("seed", "seed of the order", "0"),
        new("dedupe", "drop an image whose 16x16 thumbnail correlates above this with a kept one (1 keeps all but byte-identical files)", "0.95"),
        CommonOptions.FollowSymlinks,
    ];

    public int Run(CommandArgs a)
    {
        var sizes = new List<int>();
        foreach (var part in a.Require("sizes").Split(','))
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw new UsageException($"--sizes: '{part}' is not a positive whole number");
            else sizes.Add(n);
        if (!ulong.TryParse(a.Require("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new UsageException("--seed must be a whole number ≥ 0");
        if (!double.TryParse(a.Require("dedupe"), NumberStyles.Float, CultureInfo.InvariantCulture, out double dedupe) || !(dedupe > 0 && dedupe <= 1))
            throw new UsageException("--dedupe must be a number in (0, 1]");
        var pool = ImageCollection.Open(a.Require("images"), a.Flag("follow-symlinks"));
        var plan = NestedSubsets.Build(pool, sizes, seed, dedupe);
        var written = NestedSubsets.Write(plan, a.Require("out"), Path.GetFullPath(a.Require("images")));
        Console.WriteLine($"pool {pool.Count} images; kept {plan.Order.Count}, dropped {plan.Dropped.Count} (unreadable or duplicates, see dropped.csv)");
        foreach (var w in written) Console.WriteLine($"wrote {w}");
        return 0;
    }
}
