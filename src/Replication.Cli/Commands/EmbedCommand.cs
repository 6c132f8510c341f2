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
        CommonOptions.Device, CommonOptions.Batch, CommonOptions.FollowSymlinks, CommonOptions.Alpha, CommonOptions.Background,
        new("chunk", "images per resumable chunk: an interrupted run restarts after the last finished chunk", "1024"),
    ];

    public int Run(CommandArgs a)
    {
        int chunk = CommonOptions.ParseChunk(a);
        var images = ImageCollection.Open(a.Require("images"), a.Flag("follow-symlinks"));
        var alpha = CommonOptions.ParseAlpha(a);
        using var extractor = FeatureExtractor.Open(a.Require("model"), CommonOptions.ParseDevice(a));
        extractor.Alpha = alpha;
        int batch = CommonOptions.ParseBatch(a, extractor);
        var folder = ConsoleProgress.Run(p => EmbeddingJob.Run(images, extractor, a.Require("out"), batch, chunk, p.Embedding!("embedding")));
        Console.WriteLine($"{folder.Count} embeddings of dimension {folder.RowLength} in {folder.VectorsPath}; {folder.Skipped.Count} skipped" +
                          (folder.Skipped.Count > 0 ? $" (see {Path.Combine(folder.Folder, EmbeddingFiles.Skipped)})" : ""));
        if (folder.Count == 0)
        {
            Console.Error.WriteLine($"error: {a.Require("images")}: none of the {images.Count} images could be read");
            return 1;
        }
        return 0;
    }
}
