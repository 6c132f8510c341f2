using System.CommandLine;
using Replication.Analyses.CaseStudy;

namespace Replication.Cli.Commands;

public sealed class PromptsVariantsCommand : Command
{
    private readonly Option<string> _preset = OptionKinds.Text("--preset", $"one of the paper's prompt tables: {string.Join(", ", PromptVariants.Presets.Keys)}");
    private readonly Option<string> _base = OptionKinds.Text("--base", "a base prompt; each --phrases entry is removed from it in turn");
    private readonly Option<string> _phrases = OptionKinds.Text("--phrases", "phrases of --base to remove, separated by ';'");
    private readonly Option<int> _perVariant = OptionKinds.Int("--per-variant", "images to generate per variant (one line each, its own seed)", 50, max: 1_000_000, why: "one manifest line each");
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "seed of the generator seeds", 0, min: 0, max: int.MaxValue);
    private readonly Option<string> _out = OptionKinds.Text("--out", "variants file to write: variant,prompt,removed,seed", required: true);

    public PromptsVariantsCommand() : base("variants", "key-phrase prompt variants (a base prompt with phrases removed one by one, or a preset of the paper's Tables 2-4) for case-study --variants")
    {
        foreach (var o in new Option[] { _preset, _base, _phrases, _perVariant, _seed, _out })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string? preset = p.GetValue(_preset), basePrompt = p.GetValue(_base), phrases = p.GetValue(_phrases);
        if ((preset is null) == (basePrompt is null))
            throw new UsageException("give --preset or --base (with --phrases), one of them", preset is null ? "--base" : "--preset");
        if (preset is not null && phrases is not null) throw new UsageException("--phrases goes with --base, not --preset", "--phrases");
        var variants = preset is not null
            ? PromptVariants.Preset(preset)
            : PromptVariants.Removing(basePrompt!, (phrases ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        PromptVariants.Write(p.GetValue(_out)!, variants, p.GetValue(_perVariant), (ulong)p.GetValue(_seed));
        Console.WriteLine($"{variants.Count} variants × {p.GetValue(_perVariant)} images in {p.GetValue(_out)}");
        foreach (var v in variants) Console.WriteLine($"  {v.Name}: {v.Prompt}{(v.Removed is null ? "" : $"  (without '{v.Removed}')")}");
        return ExitCodes.Success;
    }
}
