using Replication.Reporting.Metrics;
using System.CommandLine;
using Replication.Analyses.CaseStudy;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Search.Store;

namespace Replication.Cli.Commands;

/// <summary><c>case-study</c>: the paper's Section 7 analyses of imported generations against a training store.</summary>
public sealed class CaseStudyCommand : Command
{
    private readonly Option<string> _store = OptionKinds.Text("--store", "the training set's embedding store (embed --shards)", required: true);
    private readonly Option<string> _generations = OptionKinds.Text("--generations", "generated-images manifest: path,prompt,source_key,seed (source_key - : a prompt not from the training set)", required: true);
    private readonly Option<string> _embeddings = OptionKinds.Text("--embeddings", "the generations' embedding folder (embed --images MANIFEST, same --model as the store)", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder: search stages (kept, resumable), generations.csv, case-study.json", required: true);
    private readonly Option<string> _metric = CommonOptions.Metric();
    private readonly Option<int> _chunks = CommonOptions.Chunks();
    private readonly Option<Setting<ThresholdPolicy>> _threshold = CommonOptions.Threshold(
        "a generation replicates when its top-1 is above this: a number, paper (0.5, the paper's for SSCD) or auto (the 1% point of the training images' own top-1, else 0.5)",
        "paper");
    private readonly Option<double> _duplicate = OptionKinds.Number("--duplicate-threshold", "two training images are duplicates above this (the paper: 0.95, SSCD)", "0.95", -1, 1);
    private readonly Option<int> _k = OptionKinds.Int("--k", "matches kept per generation (at least 2)", 5, min: 2);
    private readonly Option<int> _countCap = OptionKinds.Int("--count-cap", "candidates per query and shard looked at for duplicate counts; counts that reach it are lower bounds", StoreSearchSettings.DefaultCountCap);
    private readonly Option<int> _bootstrap = OptionKinds.Int("--bootstrap", "bootstrap resamples for the replication rate's interval", Replication.Reporting.Metrics.Proportion.DefaultSamples);
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "seed of the bootstrap", 0, min: 0, max: int.MaxValue);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<Setting<long>> _searchMemory = CommonOptions.SearchMemory();
    private readonly Option<string> _variants = OptionKinds.Text("--variants", "a key-phrase variants file (prompts variants): the replication rate of each variant's generations");
    private readonly Option<string> _report = OptionKinds.Text("--report", "also write this self-contained HTML report");

    public CaseStudyCommand() : base("case-study", "the paper's Section 7 on your generations: replication rate, generation vs caption source, duplicate counts, key phrases (resumable stages)")
    {
        foreach (var o in new Option[] { _store, _generations, _embeddings, _out, _metric, _chunks, _threshold, _duplicate, _k, _countCap, _bootstrap, _seed, _device, _searchMemory, _variants, _report })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string store = CommonOptions.Existing(p.GetValue(_store)!, "--store", "folder");
        string generations = CommonOptions.Existing(p.GetValue(_generations)!, "--generations", "file");
        string embeddings = CommonOptions.Existing(p.GetValue(_embeddings)!, "--embeddings", "folder");
        var variants = p.GetValue(_variants) is { } v ? PromptVariants.Read(CommonOptions.Existing(v, "--variants", "file")) : null;
        var settings = new CaseStudySettings(Similarity.Parse(p.GetValue(_metric)!, p.GetValue(_chunks)), ThresholdPolicy.PaperValue, p.GetValue(_duplicate),
            p.GetValue(_k), p.GetValue(_countCap), p.GetValue(_bootstrap), (ulong)p.GetValue(_seed), p.GetValue(_device).Value, p.GetValue(_searchMemory).Value);
        var threshold = p.GetValue(_threshold).Value;
        (settings with { Threshold = threshold.Fixed ?? ThresholdPolicy.PaperValue }).Validate();
        string outDir = p.GetValue(_out)!;
        var result = CaseStudyRun.Run(store, generations, embeddings, outDir, settings, threshold, Console.Error.WriteLine);
        var rates = variants is null ? null : KeyPhraseStudy.Rates(result, variants, settings.BootstrapSamples, settings.Seed);
        Console.WriteLine(CaseStudyCharts.Reading(result, rates));
        Console.WriteLine($"per generation: {Path.Combine(outDir, CaseStudyFiles.Generations)}; summary: {Path.Combine(outDir, CaseStudyFiles.Summary)}");
        if (p.GetValue(_report) is { } report)
        {
            CaseStudyReport.Write(report, result, rates);
            Console.WriteLine($"report: {report}");
        }
        return ExitCodes.Success;
    }
}
