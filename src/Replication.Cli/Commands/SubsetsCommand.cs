using System.CommandLine;
using System.Globalization;
using Replication.Data.Datasets;
using Replication.Images;

namespace Replication.Cli.Commands;

public sealed class SubsetsCommand : Command
{
    private readonly Option<string> _images = OptionKinds.Text("--images", "the pool: a folder (recursive) or manifest CSV", required: true);
    private readonly Option<Setting<IReadOnlyList<int>>> _sizes = OptionKinds.IntList("--sizes", "subset sizes, comma-separated (each subset lies inside the next)", "32,256,1024");
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder for subset-N.csv, dropped.csv, subsets.json", required: true);
    private readonly Option<Setting<ulong>> _seed = OptionKinds.Setting("--seed", "seed of the order", "0", text =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw new UsageException($"--seed must be a whole number ≥ 0, not '{text}'", "--seed"));
    private readonly Option<double> _dedupe = OptionKinds.Number("--dedupe",
        "drop an image whose 16x16 thumbnail correlates above this with a kept one (1 keeps all but byte-identical files)", "0.95", 1e-9, 1);
    private readonly Option<bool> _followSymlinks = CommonOptions.FollowSymlinks();
    private readonly Option<bool> _byClass = OptionKinds.Flag("--by-class", "a class-labelled set instead: --classes classes (seeded choice among those with --per-class images) of --per-class images each, labels from the manifest or the first folder level");
    private readonly Option<int> _classes = OptionKinds.Int("--classes", "with --by-class: how many classes", 10);
    private readonly Option<int> _perClass = OptionKinds.Int("--per-class", "with --by-class: images per class", 64, min: 2);

    public SubsetsCommand() : base("subsets", "nested, de-duplicated training subsets of a pool of images (subset-N.csv manifests for train and scan)")
    {
        foreach (var o in new Option[] { _images, _sizes, _out, _seed, _dedupe, _followSymlinks, _byClass, _classes, _perClass }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string images = CommonOptions.Existing(p.GetValue(_images)!, "--images");
        var pool = ImageCollection.Open(images, p.GetValue(_followSymlinks));
        bool byClass = p.GetValue(_byClass);
        var plan = byClass
            ? LabelledSubsets.Build(pool, p.GetValue(_classes), p.GetValue(_perClass), p.GetValue(_seed)!.Value, p.GetValue(_dedupe))
            : NestedSubsets.Build(pool, p.GetValue(_sizes)!.Value, p.GetValue(_seed)!.Value, p.GetValue(_dedupe));
        var written = NestedSubsets.Write(plan, p.GetValue(_out)!, Path.GetFullPath(images),
            byClass ? $"classes{p.GetValue(_classes)}x{p.GetValue(_perClass)}" : "subset");
        Console.WriteLine($"pool {pool.Count} images; kept {plan.Order.Count}, dropped {plan.Dropped.Count} (unreadable, duplicates{(byClass ? " or classes passed over" : "")}: see the dropped CSV)");
        foreach (var w in written) Console.WriteLine($"wrote {w}");
        return ExitCodes.Success;
    }
}
