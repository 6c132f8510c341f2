using System.CommandLine;
using Replication.Images;
using Replication.Embeddings.WebDataset;

namespace Replication.Cli.Commands;

public sealed class PackCommand : Command
{
    private readonly Option<string> _images = OptionKinds.Text("--images", "folder (recursive) or manifest CSV with a path column (and a caption column)", required: true);
    private readonly Option<string> _out = OptionKinds.Text("--out", "folder for the shards (new or empty of .tar files)", required: true);
    private readonly Option<int> _perShard = OptionKinds.Int("--samples-per-shard", "samples in each .tar shard", WebDatasetPacker.DefaultSamplesPerShard);
    private readonly Option<bool> _followSymlinks = CommonOptions.FollowSymlinks();
    private readonly Option<int> _resize = OptionKinds.Int("--resize", "shrink images whose shorter side exceeds N to N and re-encode as JPEG q95, as img2dataset did before LAION was embedded (with --keep-ratio; 0: keep the bytes as they are)", 0, min: 0, max: 65_536);
    private readonly Option<bool> _keepRatio = OptionKinds.Flag("--keep-ratio", "with --resize: img2dataset's keep_ratio mode (resize_only_if_bigger, skip_reencode), the one the official LAION download used");

    public PackCommand() : base("pack", "write a folder or manifest of images into webdataset shards as img2dataset does (NNNNN.tar with KEY.ext, KEY.txt caption, KEY.json; NNNNN.parquet)")
    {
        foreach (var o in new Option[] { _images, _out, _perShard, _followSymlinks, _resize, _keepRatio })
            Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string imagesPath = CommonOptions.Existing(p.GetValue(_images)!, "--images");
        int size = p.GetValue(_resize);
        if (size > 0 && !p.GetValue(_keepRatio))
            throw new UsageException("--resize needs --keep-ratio (img2dataset's keep_ratio mode, the one the official LAION download used; no other mode is offered)", "--resize");
        if (size == 0 && p.GetValue(_keepRatio))
            throw new UsageException("--keep-ratio needs --resize N (the size of the shorter side)", "--keep-ratio");
        var images = ImageCollection.Open(imagesPath, p.GetValue(_followSymlinks));
        var result = WebDatasetPacker.Pack(images, p.GetValue(_out)!, p.GetValue(_perShard), size > 0 ? new Img2DatasetResize(size) : null);
        Console.WriteLine($"{result.Samples} samples in {result.Shards.Count} shards in {p.GetValue(_out)}; {result.Skipped.Count} skipped");
        foreach (var s in result.Skipped)
            Console.Error.WriteLine($"skipped {s.Path}: {s.Reason}");
        if (result.Samples == 0)
            throw new InputDataException($"{imagesPath}: none of the {images.Count} images could be read");
        return ExitCodes.Success;
    }
}
