using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Replication.Images;

namespace Replication.Embeddings.WebDataset;

/// <summary>
/// Reads a webdataset <c>.tar</c> shard as a stream (System.Formats.Tar; nothing is unpacked to disk): consecutive entries with
/// the same key form one sample. Bad input never stops the reading of good samples:
/// <list type="bullet">
/// <item>a sample without an image, with an unsafe entry name (absolute, <c>..</c>), a link entry or an image over
/// <see cref="MaxImageBytes"/> is returned with its <see cref="WebDatasetSample.Problem"/>;</item>
/// <item>a caption that is not UTF-8 is decoded with U+FFFD for the bad bytes and a note; json that does not parse is a note;</item>
/// <item>a tar that ends early or is corrupt ends the reading with a problem in <see cref="Problems"/>; the samples before it are kept.</item>
/// </list>
/// Metadata missing from the tar (caption, url, width, height) is filled from the shard's parquet when given.
/// </summary>
public sealed class TarShardReader
{
    /// <summary>Largest image entry read into memory (larger ones are refused).</summary>
    public const long MaxImageBytes = 256L << 20;

    /// <summary>Largest caption or json entry read.</summary>
    public const long MaxTextBytes = 1L << 20;

    private static readonly HashSet<string> ImageExtensions = ImageCollection.Extensions.Select(e => e.TrimStart('.')).ToHashSet(StringComparer.Ordinal);
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly IReadOnlyDictionary<string, ShardMetadataRow>? _metadata;
    private readonly List<string> _problems = [];

    public TarShardReader(string path, IReadOnlyDictionary<string, ShardMetadataRow>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _metadata = metadata;
    }

    public string Path { get; }

    /// <summary>What went wrong with the tar as a whole (truncated, corrupt), known once <see cref="Samples"/> has been read to its end.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The samples in tar order. Enumerate once.</summary>
    public IEnumerable<WebDatasetSample> Samples()
    {
        _problems.Clear();
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new TarReader(stream, leaveOpen: false);
        Pending? current = null;
        long entries = 0;
        while (true)
        {
            TarEntry? entry;
            string? name = null;
            Part? part = null;
            try
            {
                entry = reader.GetNextEntry(copyData: false);
                if (entry is not null)
                {
                    name = entry.Name;
                    part = ReadPart(entry);
                }
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or IOException or ArgumentException or OverflowException)
            {
                _problems.Add($"{System.IO.Path.GetFileName(Path)}: truncated or corrupt tar after {entries} entries{(name is null ? "" : $" (at '{EntryName.Printable(name)}')")}: " +
                              $"{e.GetType().Name}: {e.Message.Split('\n')[0]}; the samples before it are kept");
                if (current is not null && name is not null && EntryName.Split(name).Key == current.Key)
                    current.Problem ??= $"the tar ends inside this sample ({e.GetType().Name})";
                break;
            }
            if (entry is null) break;
            entries++;
            if (part is null) continue; // a directory or a global header: not part of a sample
            if (current is not null && current.Key != part.Key)
            {
                yield return current.ToSample(_metadata);
                current = null;
            }
            current ??= new Pending(part.Key);
            current.Add(part);
        }
        if (current is not null)
            yield return current.ToSample(_metadata);
    }

    private sealed record Part(string Key, string Name, string Extension, byte[]? Data, string? Problem);

    private static Part? ReadPart(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes)
            return null;
        string name = entry.Name;
        var (key, ext) = EntryName.Split(name);
        if (EntryName.Problem(name) is { } unsafeName)
            return new Part(key, name, ext, null, unsafeName);
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            return new Part(key, name, ext, null, $"entry '{EntryName.Printable(name)}' is a {entry.EntryType}, not a file; refused");
        long limit = ImageExtensions.Contains(ext) ? MaxImageBytes : ext is "txt" or "json" ? MaxTextBytes : 0;
        if (limit == 0)
            return new Part(key, name, ext, null, null); // another kind of entry (cls, npy, ...): not read
        if (entry.Length > limit)
            return new Part(key, name, ext, null, $"entry '{EntryName.Printable(name)}' has {entry.Length} bytes, over the limit of {limit}; refused");
        var data = new byte[entry.Length];
        if (entry.Length > 0)
            entry.DataStream!.ReadExactly(data);
        return new Part(key, name, ext, data, null);
    }

    private sealed class Pending(string key)
    {
        public string Key { get; } = key;
        public string? Problem { get; set; }
        private string? _imageEntry;
        private byte[]? _image;
        private string? _caption;
        private string? _url;
        private long? _width, _height;
        private string? _jsonCaption;
        private readonly List<string> _notes = [];

        public void Add(Part part)
        {
            if (part.Problem is not null)
            {
                Problem ??= part.Problem;
                return;
            }
            if (part.Data is null) return;
            if (ImageExtensions.Contains(part.Extension))
            {
                if (_imageEntry is not null)
                {
                    _notes.Add($"a second image '{EntryName.Printable(part.Name)}' is ignored (the first, '{EntryName.Printable(_imageEntry)}', is used)");
                    return;
                }
                _imageEntry = part.Name;
                _image = part.Data;
            }
            else if (part.Extension == "txt")
            {
                try
                {
                    _caption = StrictUtf8.GetString(part.Data);
                }
                catch (DecoderFallbackException)
                {
                    _caption = Encoding.UTF8.GetString(part.Data);
                    _notes.Add($"caption '{EntryName.Printable(part.Name)}' is not UTF-8: its invalid bytes are replaced by U+FFFD");
                }
            }
            else if (part.Extension == "json")
            {
                try
                {
                    using var doc = JsonDocument.Parse(part.Data);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object)
                        throw new JsonException("not a json object");
                    var root = doc.RootElement;
                    _url = Text(root, "url");
                    _jsonCaption = Text(root, "caption");
                    _width = Whole(root, "width");
                    _height = Whole(root, "height");
                }
                catch (JsonException e)
                {
                    _notes.Add($"'{EntryName.Printable(part.Name)}' is not valid json ({e.Message.Split('\n')[0]}); its metadata is not used");
                }
            }
        }

        private static string? Text(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static long? Whole(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;

        public WebDatasetSample ToSample(IReadOnlyDictionary<string, ShardMetadataRow>? metadata)
        {
            ShardMetadataRow? row = metadata is not null && metadata.TryGetValue(Key, out var r) ? r : null;
            string? problem = Problem ?? (_image is null ? "no image in this sample (none of jpg, png, webp, ...)" : null);
            return new WebDatasetSample(Key, _imageEntry, problem is null ? _image : null, _caption ?? _jsonCaption ?? row?.Caption,
                _url ?? row?.Url, _width ?? row?.Width, _height ?? row?.Height, problem, _notes);
        }
    }
}
