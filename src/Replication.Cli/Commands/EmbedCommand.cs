using Replication.Features;
using Replication.Imaging;
using Replication.Storage;

namespace Replication.Cli.Commands;

public sealed class EmbedCommand : ICommand
{
    public string Name => "embed";
    public string Summary => "embed a folder or manifest of images into DIR/embeddings.npy (+ embeddings.csv, skipped.csv)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        CommonOptions.Model,
        new("images", "folder (recursive) or manifest CSV with a path column", Required: true),
        new("out", "output folder", Required: true),
        CommonOptions.Device, CommonOptions.Batch,
    ];

    public int Run(CommandArgs a)
    {
        var images = ImageCollection.Open(a.Require("images"));
        using var extractor = FeatureExtractor.Open(a.Require("model"), CommonOptions.ParseDevice(a));
        var set = ConsoleProgress.Run(p => EmbeddingPipeline.Run(images, extractor, a.Int("batch"), p.Embedding!("embedding")));
        if (set.Count == 0)
            throw new InvalidDataException($"{a.Require("images")}: none of the {images.Count} images could be read");
        EmbeddingFiles.Write(a.Require("out"), set);
        Console.WriteLine($"{set.Count} embeddings of dimension {set.RowLength} written to {Path.Combine(a.Require("out"), EmbeddingFiles.Vectors)}; {set.Skipped.Count} skipped");
        return 0;
    }
}
