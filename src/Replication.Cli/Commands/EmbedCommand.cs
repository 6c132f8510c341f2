using System.CommandLine;
using Replication.Core.Compute;
using Replication.Embeddings;
using Replication.Images;
using Replication.Embeddings.Store;

namespace Replication.Cli.Commands;

public sealed class EmbedCommand : Command
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string> _images = OptionKinds.Text("--images", "folder (recursive) or manifest CSV with a path column (or give --shards)");
    private readonly Option<string> _shards = OptionKinds.Text("--shards", "webdataset shards instead of --images: a folder of .tar (img2dataset's layout) or a text file listing them; --out is then an embedding store");
    private readonly Option<ShardSelection> _shard = OptionKinds.Parsed("--shard", "with --shards: this process's part i/n of the shards (shards whose place is i modulo n); run n processes, one per i", "0/1",
        text => ShardSelection.Parse(text));
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder", required: true);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<int> _batch = CommonOptions.Batch();
    private readonly Option<bool> _followSymlinks = CommonOptions.FollowSymlinks();
    private readonly Option<string> _alpha = CommonOptions.Alpha();
    private readonly Option<string> _background = CommonOptions.Background();
    private readonly Option<bool> _acceptTruncated = CommonOptions.AcceptTruncated();
    private readonly Option<int> _chunk = OptionKinds.Int("--chunk", "images per resumable chunk: an interrupted run restarts after the last finished chunk",
        EmbeddingJob.DefaultChunkImages, max: EmbeddingJob.MaxChunkImages, why: "a chunk's embeddings are held in memory until written");

    public EmbedCommand() : base("embed", "embed a folder or manifest of images into DIR/embeddings.npy (+ embeddings.csv, skipped.csv), or webdataset shards into a store (--shards)")
    {
        foreach (var o in new Option[] { _model, _images, _shards, _shard, _out, _device, _batch, _followSymlinks, _alpha, _background, _acceptTruncated, _chunk })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        bool hasImages = p.GetResult(_images) is { Implicit: false }, hasShards = p.GetResult(_shards) is { Implicit: false };
        if (hasImages == hasShards)
            throw new UsageException(hasImages ? "--images and --shards do not go together: give one" : "give --images (a folder or manifest) or --shards (webdataset shards)", "--images");
        if (!hasShards && p.GetResult(_shard) is { Implicit: false })
            throw new UsageException("--shard splits the work of --shards; it does not apply to --images", "--shard");
        if (hasShards)
            foreach (var (option, name) in new (Option, string)[] { (_chunk, "--chunk"), (_followSymlinks, "--follow-symlinks") })
                if (p.GetResult(option) is { Implicit: false })
                    throw new UsageException($"{name} applies to --images; with --shards each shard is the unit of resumption", name);
        return hasShards ? RunShards(p) : RunImages(p);
    }

    private int RunShards(ParseResult p)
    {
        string shardsPath = CommonOptions.Existing(p.GetValue(_shards)!, "--shards", "folder or shard list");
        var alpha = CommonOptions.ParseAlpha(p.GetValue(_alpha)!, p.GetValue(_background)!);
        int batch = CommonOptions.CheckBatch(p.GetValue(_batch), CommonOptions.CardOf(p.GetValue(_model)!));
        var shards = ShardList.Resolve(shardsPath);
        var selection = p.GetValue(_shard);
        string store = p.GetValue(_out)!;
        using var extractor = FeatureExtractor.Open(p.GetValue(_model)!, p.GetValue(_device).Value);
        extractor.Alpha = alpha;
        extractor.AcceptTruncated = p.GetValue(_acceptTruncated);
        var result = StoreEmbedding.Run(shards, store, extractor, selection, batch,
            starting: (i, tar) => Console.Error.WriteLine($"shard {i} ({Path.GetFileName(tar)}) ..."));
        foreach (var o in result.Shards)
        {
            var d = o.Done;
            string how = o.Reused ? "done earlier, kept" : $"{o.Elapsed.TotalSeconds:F1} s, {(d.Rows + d.Skipped) / Math.Max(o.Elapsed.TotalSeconds, 1e-9):F1} images/s";
            Console.WriteLine($"shard {d.Index} ({Path.GetFileName(d.Source)}): {d.Rows} rows, {d.Skipped} skipped ({how})" +
                              (d.Notes.Count > 0 ? $"; {string.Join("; ", d.Notes)}" : ""));
        }
        foreach (var b in result.Busy)
            Console.WriteLine($"left to the process that holds it: {b}");
        if (result.Manifest is { } m)
        {
            Console.WriteLine($"store complete: {m.Rows} rows of dimension {m.Dimension} in {m.Shards.Count} shards, {m.Skipped} skipped; {Path.Combine(store, StoreFiles.Manifest)}");
            if (m.Rows == 0)
                throw new InputDataException($"{shardsPath}: none of the samples in {m.Shards.Count} shards could be embedded (see the shards' {StoreFiles.Skipped})");
        }
        else
        {
            Console.WriteLine($"{result.Shards.Count} of {shards.Count} shards done by this process ({selection}); the store is complete once every part has run");
        }
        return ExitCodes.Success;
    }

    private int RunImages(ParseResult p)
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
