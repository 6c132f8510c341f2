using System.CommandLine;
using Replication.Core.Compute;
using Replication.Data.Datasets;

namespace Replication.Cli.Commands;

public sealed class CopiesCommand : Command
{
    private static readonly string[] Kinds = Enum.GetValues<SyntheticCopyKind>().Select(k => FigureParameterBinder.KebabCase(k.ToString())).ToArray();

    private readonly Option<SyntheticCopyKind> _kind = OptionKinds.Parsed<SyntheticCopyKind>("--kind", string.Join(", ", Kinds[..^1]) + " or " + Kinds[^1], null,
        text => Enum.GetValues<SyntheticCopyKind>().Cast<SyntheticCopyKind?>().FirstOrDefault(k => string.Equals(FigureParameterBinder.KebabCase(k.ToString()!), text.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--kind: unknown kind '{text}' ({string.Join(", ", Kinds)})", "--kind"));
    private readonly Option<string> _sources = OptionKinds.Text("--sources", "folder of source images (PNGs with alpha give Segmix its object masks)");
    private readonly Option<string> _masks = OptionKinds.Text("--masks", "segmix only: object masks from annotations instead of alpha, voc:PATH or coco:PATH");
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder", required: true);
    private readonly Option<int> _queries = OptionKinds.Int("--queries", "number of source images, each a query (fewer if the sources run out)", 100);
    private readonly Option<int> _copies = OptionKinds.Int("--copies", "copies of each source in the gallery (the official evaluation uses 4)", 4);
    private readonly Option<int> _seed = OptionKinds.Int("--seed", "random seed (same seed, same dataset)", 0, min: int.MinValue, max: int.MaxValue);
    private readonly Option<string> _denoiser = OptionKinds.Text("--denoiser", "outpainting only: a DDPM denoiser card (ONNX); given, the fill is RePaint (as in the paper), otherwise the harmonic fill");
    private readonly Option<int> _steps = OptionKinds.Int("--steps", "RePaint steps respaced from the card's schedule", 250);
    private readonly Option<int> _jump = OptionKinds.Int("--jump", "RePaint jump length", 10);
    private readonly Option<int> _resample = OptionKinds.Int("--resample", "RePaint resamplings per jump", 10);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();

    public CopiesCommand() : base("copies", "generate a synthetic copy dataset (gallery/, queries/, gt.json) for the extractor benchmark")
    {
        _kind.Required = true;
        foreach (var o in new Option[] { _kind, _sources, _masks, _out, _queries, _copies, _seed, _denoiser, _steps, _jump, _resample, _device })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        var kind = p.GetValue(_kind);
        string? masks = p.GetValue(_masks), sources = p.GetValue(_sources), denoiserCard = p.GetValue(_denoiser);
        string outDir = p.GetValue(_out)!;
        if (masks is not null && kind != SyntheticCopyKind.Segmix) throw new UsageException("--masks goes with --kind segmix", "--masks");
        if (masks is null && sources is null) throw new UsageException("--sources is required (or --masks for segmix)", "--sources");
        if (sources is not null && masks is null) CommonOptions.Existing(sources, "--sources", "folder");
        if (denoiserCard is not null) CommonOptions.Existing(denoiserCard, "--denoiser", "file");
        var maskSource = masks is null ? null : ObjectMaskSources.Open(masks);
        using var denoiser = denoiserCard is null ? null : new Replication.Data.Diffusion.OnnxDenoiser(Replication.Data.Diffusion.DenoiserCard.Load(denoiserCard), p.GetValue(_device).Value);
        IOutpaintFill? fill = denoiser is null ? null : new RePaintFill(denoiser, p.GetValue(_steps), p.GetValue(_jump), p.GetValue(_resample));
        if (fill is RePaintFill repaint)
            Console.WriteLine($"outpainting with {repaint.Name}: {repaint.NetworkCallsPerImage} network calls per copy");
        var d = maskSource is not null
            ? SyntheticCopyGenerator.GenerateSegmix(maskSource, outDir, p.GetValue(_queries), p.GetValue(_seed), masks!, p.GetValue(_copies))
            : SyntheticCopyGenerator.Generate(kind, sources!, outDir, p.GetValue(_queries), p.GetValue(_seed), fill, p.GetValue(_copies));
        Console.WriteLine($"{d.Queries.Count} {FigureParameterBinder.KebabCase(kind.ToString())} source images as queries, their {d.Gallery.Count} copies as the gallery, in {outDir}");
        return ExitCodes.Success;
    }
}
