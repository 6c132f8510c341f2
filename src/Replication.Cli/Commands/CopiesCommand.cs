using Replication.Datasets;
using Replication.Figures;

namespace Replication.Cli.Commands;

public sealed class CopiesCommand : ICommand
{
    public string Name => "copies";
    public string Summary => "generate a synthetic copy dataset (gallery/, queries/, gt.json) for the extractor benchmark";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("kind", "cutmix, segmix, diagonal-outpaint or patch-outpaint", Required: true),
        new("sources", "folder of source images (PNGs with alpha give Segmix its object masks)", Required: true),
        new("out", "output folder", Required: true),
        new("queries", "number of copies", "100"),
        new("seed", "random seed (same seed, same dataset)", "0"),
    ];

    public int Run(CommandArgs a)
    {
        var kind = Enum.GetValues<SyntheticCopyKind>().Cast<SyntheticCopyKind?>()
            .FirstOrDefault(k => FigureParameterBinder.KebabCase(k.ToString()!) == a.Require("kind"))
            ?? throw new UsageException($"--kind: unknown kind '{a.Require("kind")}' (cutmix, segmix, diagonal-outpaint, patch-outpaint)");
        if (!int.TryParse(a.Require("seed"), out int seed))
            throw new UsageException("--seed must be a whole number");
        var d = SyntheticCopyGenerator.Generate(kind, a.Require("sources"), a.Require("out"), a.Int("queries"), seed);
        Console.WriteLine($"{d.Queries.Count} {a.Require("kind")} queries against {d.Gallery.Count} gallery images in {a.Require("out")}");
        return 0;
    }
}
