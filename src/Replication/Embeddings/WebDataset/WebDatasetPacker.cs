using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Replication.Images;
using Replication.Core.Files;

namespace Replication.Embeddings.WebDataset;

/// <summary>
/// Writes images into webdataset shards as img2dataset lays them out: <c>00000.tar</c>, <c>00001.tar</c>, ... each holding
/// <c>KEY.EXT</c> (the image's bytes as they are, not re-encoded), <c>KEY.txt</c> (the caption) and <c>KEY.json</c> (key, url,
/// caption, width, height, status), and a <c>.parquet</c> per shard with the same rows. Keys are the shard number (5 digits)
/// followed by the sample's place in the shard. The caption is the manifest's <c>caption</c>, else the file name (extension
/// dropped, '_' and '-' as spaces); the url is the image's path relative to the folder or manifest. Output is deterministic
/// (fixed entry times and modes), each file written whole or not at all. With <see cref="Img2DatasetResize"/> the images are
/// shrunk and re-encoded as img2dataset did before LAION was embedded; the json then also records the original size.
/// </summary>
public static class WebDatasetPacker
{
    public const int DefaultSamplesPerShard = 10_000;

    /// <summary>Marker written last by <see cref="PackOnce"/>: a folder holding it was packed completely.</summary>
    public const string Packed = "packed.json";

    /// <summary>
    /// Packs into <paramref name="outFolder"/> unless a finished pack is there (its <see cref="Packed"/> marker, written last);
    /// a folder without the marker (an interrupted pack) is emptied and packed again. The folder's name should carry what it was
    /// packed from, since a finished folder is reused as it is. Returns the folder.
    /// </summary>
    public static string PackOnce(IReadOnlyList<ImageRecord> images, string outFolder, int samplesPerShard = DefaultSamplesPerShard)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        if (File.Exists(Path.Combine(outFolder, Packed))) return outFolder;
        if (Directory.Exists(outFolder)) Directory.Delete(outFolder, recursive: true);
        var result = Pack(images, outFolder, samplesPerShard);
        AtomicFile.WriteAllText(Path.Combine(outFolder, Packed),
            FormattableString.Invariant($"{{\"shards\": {result.Shards.Count}, \"samples\": {result.Samples}, \"skipped\": {result.Skipped.Count}}}\n"));
        return outFolder;
    }

    public static PackResult Pack(IReadOnlyList<ImageRecord> images, string outFolder, int samplesPerShard = DefaultSamplesPerShard, Img2DatasetResize? resize = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentException.ThrowIfNullOrEmpty(outFolder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerShard);
        using var outputLock = OutputLock.Acquire(outFolder);
        if (Directory.EnumerateFiles(outFolder, "*.tar").Any())
            throw new InputDataException($"{outFolder}: already holds .tar shards; pack into an empty or new folder");
        int digits = Math.Max(4, (samplesPerShard - 1).ToString().Length);
        var skipped = new List<SkippedImage>();
        var shards = new List<string>();
        long samples = 0;
        int shard = 0;
        foreach (var batch in Resized(Readable(images, skipped), resize, skipped).Chunk(samplesPerShard))
        {
            string tar = Path.Combine(outFolder, $"{shard:D5}.tar");
            var rows = new List<ShardMetadataRow>(batch.Length);
            AtomicFile.Write(tar, stream =>
            {
                using var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true);
                for (int i = 0; i < batch.Length; i++)
                {
                    var (record, bytes, stored) = batch[i];
                    string key = $"{shard:D5}{i.ToString($"D{digits}")}";
                    var (width, height) = stored is null ? Size(record.Path) : (stored.Value.Width, stored.Value.Height);
                    var row = new ShardMetadataRow(key, record.RelativePath, record.Caption ?? CaptionFromName(record.RelativePath), width, height);
                    rows.Add(row);
                    Add(writer, $"{key}.{(stored is null ? Extension(record.Path) : stored.Value.Extension)}", bytes);
                    Add(writer, $"{key}.txt", Encoding.UTF8.GetBytes(row.Caption ?? ""));
                    var json = new Dictionary<string, object?>
                    {
                        ["key"] = key, ["url"] = row.Url, ["caption"] = row.Caption, ["width"] = width, ["height"] = height, ["status"] = "success",
                    };
                    if (stored is { } s)
                    {
                        json["original_width"] = s.OriginalWidth;
                        json["original_height"] = s.OriginalHeight;
                    }
                    Add(writer, $"{key}.json", JsonSerializer.SerializeToUtf8Bytes(json));
                }
            });
            AtomicFile.Write(ShardMetadata.PathFor(tar), stream => ShardMetadata.Write(stream, rows));
            shards.Add(tar);
            samples += batch.Length;
            shard++;
        }
        return new PackResult(shards, samples, skipped);
    }

    private static IEnumerable<(ImageRecord Record, byte[] Bytes, (string Extension, long Width, long Height, int OriginalWidth, int OriginalHeight)? Stored)> Resized(
        IEnumerable<(ImageRecord Record, byte[] Bytes)> images, Img2DatasetResize? resize, List<SkippedImage> skipped)
    {
        foreach (var (record, bytes) in images)
        {
            if (resize is null) { yield return (record, bytes, null); continue; }
            (byte[] Bytes, string Extension, int Width, int Height, int OriginalWidth, int OriginalHeight, bool Reencoded) r;
            try { r = resize.Apply(bytes, record.Path); }
            catch (Exception e) when (ImageFault.IsPerFile(e))
            {
                skipped.Add(new SkippedImage(record.Path, ImageFault.Describe(e))); // img2dataset drops what it cannot decode
                continue;
            }
            yield return (record, r.Bytes, (r.Reencoded ? r.Extension : Extension(record.Path), r.Width, r.Height, r.OriginalWidth, r.OriginalHeight));
        }
    }

    private static IEnumerable<(ImageRecord Record, byte[] Bytes)> Readable(IReadOnlyList<ImageRecord> images, List<SkippedImage> skipped)
    {
        foreach (var record in images)
        {
            if (record.Refused is { } refused)
            {
                skipped.Add(new SkippedImage(record.Path, refused));
                continue;
            }
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(record.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedImage(record.Path, ImageFault.Describe(e)));
                continue;
            }
            // the limits a shard reader applies (TarShardReader), so that nothing is packed that embedding would then skip
            if (bytes.LongLength > TarShardReader.MaxImageBytes)
            {
                skipped.Add(new SkippedImage(record.Path, $"{bytes.LongLength:N0} bytes, above the {TarShardReader.MaxImageBytes >> 20} MiB a shard's image may hold"));
                continue;
            }
            if (record.Caption is { } caption && Encoding.UTF8.GetByteCount(caption) > TarShardReader.MaxTextBytes)
            {
                skipped.Add(new SkippedImage(record.Path, $"caption of {Encoding.UTF8.GetByteCount(caption):N0} bytes, above the {TarShardReader.MaxTextBytes >> 20} MiB a shard's caption may hold"));
                continue;
            }
            yield return (record, bytes);
        }
    }

    private static void Add(TarWriter writer, string name, byte[] data)
    {
        // ustar holds names of up to 100 bytes here (keys are short, but an extension can be long): longer ones get a PAX entry
        TarEntry entry = System.Text.Encoding.UTF8.GetByteCount(name) <= 100
            ? new UstarTarEntry(TarEntryType.RegularFile, name)
            : new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { ["mtime"] = "0" });
        entry.DataStream = new MemoryStream(data, writable: false);
        entry.ModificationTime = DateTimeOffset.UnixEpoch;
        entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        writer.WriteEntry(entry);
    }

    /// <summary>The width and height from the image's header, or nulls when it cannot be read (the image is packed all the same).</summary>
    private static (long? Width, long? Height) Size(string path)
    {
        try
        {
            var info = SixLabors.ImageSharp.Image.Identify(path);
            return info is null ? (null, null) : (info.Width, info.Height);
        }
        catch (Exception e) when (ImageFault.IsPerFile(e) || e is SixLabors.ImageSharp.UnknownImageFormatException or SixLabors.ImageSharp.InvalidImageContentException or NotSupportedException)
        {
            return (null, null);
        }
    }

    private static string Extension(string path)
    {
        string ext = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        return ext switch { "jpeg" => "jpg", "" => "bin", _ => ext };
    }

    /// <summary>A caption from a file name: the name without its extension, '_' and '-' read as spaces.</summary>
    public static string CaptionFromName(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        string stem = Path.GetFileNameWithoutExtension(relativePath.Replace('\\', '/').Split('/')[^1]);
        return string.Join(' ', stem.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
