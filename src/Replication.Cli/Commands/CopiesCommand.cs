using Replication.Datasets;
using Replication.Figures;

namespace Replication.Cli.Commands;

public sealed class CopiesCommand : ICommand
{
    public string Name => "copies";
    public string Summary => "generate a synthetic copy dataset (gallery/, queries/, gt.json) for the extractor benchmark";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("kind", "cutmix, segmix, diagonal-outpaint, patch-outpaint or square-paste", Required: true),
        new("sources", "folder of source images (PNGs with alpha give Segmix its object masks)"),
        new("masks", "segmix only: object masks from annotations instead of alpha, voc:PATH or coco:PATH"),
        new("out", "output folder", Required: true),
        new("queries", "number of source images, each a query (fewer if the sources run out)", "100"),
        new("copies", "copies of each source in the gallery (the official evaluation uses 4)", "4"),
        new("seed", "random seed (same seed, same dataset)", "0"),
        new("denoiser", "outpainting only: a DDPM denoiser card (ONNX); given, the fill is RePaint (as in the paper), otherwise the harmonic fill"),
        new("steps", "RePaint steps respaced from the card's schedule", "250"),
        new("jump", "RePaint jump length", "10"),
        new("resample", "RePaint resamplings per jump", "10"),
        CommonOptions.Device,
    ];

    public int Run(CommandArgs a)
    {
        var kind = Enum.GetValues<SyntheticCopyKind>().Cast<SyntheticCopyKind?>()
            .FirstOrDefault(k => FigureParameterBinder.KebabCase(k.ToString()!) == a.Require("kind"))
            ?? throw new UsageException($"--kind: unknown kind '{a.Require("kind")}' (cutmix, segmix, diagonal-outpaint, patch-outpaint, square-paste)");
        if (!int.TryParse(a.Require("seed"), out int seed))
            throw new UsageException("--seed must be a whole number");
        using var denoiser = a.Get("denoiser") is { } card ? new Replication.Diffusion.OnnxDenoiser(Replication.Diffusion.DenoiserCard.Load(card), CommonOptions.ParseDevice(a)) : null;
        IOutpaintFill? fill = denoiser is null ? null : new RePaintFill(denoiser, a.Int("steps"), a.Int("jump"), a.Int("resample"));
        if (fill is RePaintFill repaint)
            Console.WriteLine($"outpainting with {repaint.Name}: {repaint.NetworkCallsPerImage} network calls per copy");
        var d = a.Get("masks") is { } masks
            ? kind == SyntheticCopyKind.Segmix
                ? SyntheticCopyGenerator.GenerateSegmix(ObjectMaskSources.Open(masks), a.Require("out"), a.Int("queries"), seed, masks, a.Int("copies"))
                : throw new UsageException("--masks goes with --kind segmix")
            : SyntheticCopyGenerator.Generate(kind, a.Get("sources") ?? throw new UsageException("--sources is required (or --masks for segmix)"), a.Require("out"), a.Int("queries"), seed, fill, a.Int("copies"));
        Console.WriteLine($"{d.Queries.Count} {a.Require("kind")} source images as queries, their {d.Gallery.Count} copies as the gallery, in {a.Require("out")}");
        return 0;
    }
}
