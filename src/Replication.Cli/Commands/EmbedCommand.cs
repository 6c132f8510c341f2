using System.CommandLine;
using Replication.Compute;
using Replication.Features;
using Replication.Imaging;
using Replication.Storage;

namespace Replication.Cli.Commands;

public sealed class EmbedCommand : Command
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string> _images = OptionKinds.Text("--images", "folder (recursive) or manifest CSV with a path column", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder", required: true);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<int> _batch = CommonOptions.Batch();
    private readonly Option<bool> _followSymlinks = CommonOptions.FollowSymlinks();
    private readonly Option<string> _alpha = CommonOptions.Alpha();
    private readonly Option<string> _background = CommonOptions.Background();
    private readonly Option<bool> _acceptTruncated = CommonOptions.AcceptTruncated();
    private readonly Option<int> _chunk = OptionKinds.Int("--chunk", "images per resumable chunk: an interrupted run restarts after the last finished chunk",
        EmbeddingJob.DefaultChunkImages, max: EmbeddingJob.MaxChunkImages, why: "a chunk's embeddings are held in memory until written");

    public EmbedCommand() : base("embed", "embed a folder or manifest of images into DIR/embeddings.npy (+ embeddings.csv, skipped.csv)")
    {
        foreach (var o in new Option[] { _model, _images, _out, _device, _batch, _followSymlinks, _alpha, _background, _acceptTruncated, _chunk })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string imagesPath = CommonOptions.Existing(p.GetValue(_images)!, "--images");
        var alpha = CommonOptions.ParseAlpha(p.GetValue(_alpha)!, p.GetValue(_background)!);
        int batch = CommonOptions.CheckBatch(p.GetValue(_batch), CommonOptions.CardOf(p.GetValue(_model)!));
        var images = ImageCollection.Open(imagesPath, p.GetValue(_followSymlinks));
        using var extractor = FeatureExtractor.Open(p.GetValue(_model)!, p.GetValue(_device).Value);
        extractor.Alpha = alpha;
        extractor.AcceptTruncated = p.GetValue(_acceptTruncated);
        var folder = ConsoleProgress.Run(progress => EmbeddingJob.Run(images, extractor, p.GetValue(_out)!, batch, p.GetValue(_chunk), progress.Embedding!("embedding")));
        Console.WriteLine($"{folder.Count} embeddings of dimension {folder.RowLength} in {folder.VectorsPath}; {folder.Skipped.Count} skipped" +
                          (folder.Skipped.Count > 0 ? $" (see {Path.Combine(folder.Folder, EmbeddingFiles.Skipped)})" : ""));
        if (folder.Count == 0)
            throw new InputDataException($"{imagesPath}: none of the {images.Count} images could be read");
        return ExitCodes.Success;
    }
}
