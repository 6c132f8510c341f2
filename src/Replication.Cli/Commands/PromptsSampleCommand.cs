using System.CommandLine;
using Replication.Data.Generations;

namespace Replication.Cli.Commands;

public sealed class PromptsSampleCommand : Command
{
    private readonly Option<string> _from = OptionKinds.Text("--from", "training captions: an embedding store (its sidecars) or a manifest CSV with a caption column (and key or path)", required: true);
    private readonly Option<int> _count = OptionKinds.Int("--count", "prompts to draw (with replacement; the paper drew 9,000)", 9000);
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "seed of the draws (the same seed gives the same manifest)", 0, min: 0, max: int.MaxValue);
    private readonly Option<string> _out = OptionKinds.Text("--out", "prompt manifest CSV to write: prompt,source_key,seed (+ source_row from a store)", required: true);

    public PromptsSampleCommand() : base("sample", "draw captions uniformly with replacement from the training set into a prompt manifest, one line per image to generate")
    {
        foreach (var o in new Option[] { _from, _count, _seed, _out })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string from = CommonOptions.Existing(p.GetValue(_from)!, "--from");
        var rows = PromptSampler.Sample(TrainingCaptions.Read(from), p.GetValue(_count), (ulong)p.GetValue(_seed));
        PromptManifest.Write(p.GetValue(_out)!, rows);
        int distinct = rows.Select(r => r.SourceKey).Distinct().Count();
        Console.WriteLine($"{rows.Count} prompts ({distinct} distinct source samples) in {p.GetValue(_out)}");
        return ExitCodes.Success;
    }
}
