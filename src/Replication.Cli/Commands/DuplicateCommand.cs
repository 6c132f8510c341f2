using System.CommandLine;
using System.Globalization;
using Replication.Data.Datasets;

namespace Replication.Cli.Commands;

/// <summary>Writes a training manifest in which chosen images appear several times (<see cref="DuplicatedTrainingSet"/>): the
/// training set of the duplication study (notebook 04).</summary>
public sealed class DuplicateCommand : Command
{
    private readonly Option<string> _images = OptionKinds.Text("--images", "the base training set: a manifest CSV or a folder", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "the duplicated manifest to write (NAME-copies.csv and NAME.json go beside it)", required: true);
    private readonly Option<string> _levels = OptionKinds.Text("--levels", "comma-separated copies per duplicated image", "4,16,64");
    private readonly Option<int> _perLevel = OptionKinds.Int("--per-level", "images duplicated at each level", 16);
    private readonly Option<string> _spec = OptionKinds.Text("--spec", "instead of --levels and --per-level: a CSV with columns id and copies");
    private readonly Option<Setting<ulong>> _seed = OptionKinds.Setting("--seed", "seed of the choice of images", "0", text =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : throw new UsageException($"--seed must be a whole number ≥ 0, not '{text}'", "--seed"));

    public DuplicateCommand() : base("duplicate", "write a training manifest in which chosen images appear 4×, 16×, 64× … (exact copies), with the ground truth beside it")
    {
        foreach (var o in new Option[] { _images, _out, _levels, _perLevel, _spec, _seed }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string images = CommonOptions.Existing(p.GetValue(_images)!, "--images", "manifest or folder");
        DuplicationPlan plan;
        if (p.GetValue(_spec) is { } spec)
            plan = new DuplicationPlan { Explicit = DuplicatedTrainingSet.ReadSpec(CommonOptions.Existing(spec, "--spec", "copies CSV")) };
        else
        {
            var levels = p.GetValue(_levels)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : throw new UsageException($"--levels: '{t}' is not a whole number", "--levels")).ToList();
            plan = new DuplicationPlan { Levels = levels, PerLevel = p.GetValue(_perLevel), Seed = p.GetValue(_seed)!.Value };
        }
        var (manifest, copies, rows) = DuplicatedTrainingSet.Write(images, plan, p.GetValue(_out)!);
        Console.WriteLine($"{rows} training rows in {manifest}; copies per image in {copies}");
        return ExitCodes.Success;
    }
}
