namespace Replication.Embeddings.WebDataset;

/// <summary>
/// One sample of a webdataset shard: the entries of a tar that share a key (<c>KEY.jpg</c>, <c>KEY.txt</c>, <c>KEY.json</c>),
/// as img2dataset writes them. The image is held in memory only (never written to disk).
/// </summary>
/// <param name="Key">The sample key: the entry name up to the first '.' of its last segment. A label only: it never names a file we write.</param>
/// <param name="ImageEntry">The tar entry name of the image (null when the sample has none).</param>
/// <param name="Image">The image's bytes, or null when the sample is refused (see <paramref name="Problem"/>).</param>
/// <param name="Caption">The caption (<c>KEY.txt</c>, else the json's or the parquet's <c>caption</c>).</param>
/// <param name="Problem">Why the sample cannot be embedded (no image, an unsafe entry name, a link, too large); null when it can.</param>
/// <param name="Notes">What was wrong but did not stop the sample (a caption that is not UTF-8, json that does not parse).</param>
public sealed record WebDatasetSample(string Key, string? ImageEntry, byte[]? Image, string? Caption, string? Url, long? Width, long? Height,
    string? Problem, IReadOnlyList<string> Notes);
