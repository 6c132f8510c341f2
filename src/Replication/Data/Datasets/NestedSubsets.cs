using System.Globalization;
using System.Security.Cryptography;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Core;

namespace Replication.Data.Datasets;

/// <summary>
/// Builds <see cref="SubsetPlan"/>s: the pool in <see cref="SeededPermutation"/> order, walked until the largest size is
/// reached, keeping an image only if it is readable, not byte-identical to a kept one, and not a near-duplicate of one
/// (Pearson correlation of 16×16 RGB thumbnails, composited onto white and resized bilinearly, above the threshold).
/// Near-duplicates in the pool would make a small "training set" look copied by chance, so they are removed first.
/// </summary>
public static class NestedSubsets
{
    public const int ThumbnailSize = 16;

    public static SubsetPlan Build(IReadOnlyList<ImageRecord> pool, IReadOnlyList<int> sizes, ulong seed, double duplicateCorrelation = 0.95,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (sizes.Count == 0 || sizes.Any(s => s < 1)) throw new ArgumentException("sizes must be positive", nameof(sizes));
        if (!(duplicateCorrelation > 0 && duplicateCorrelation <= 1)) throw new ArgumentOutOfRangeException(nameof(duplicateCorrelation), "must be in (0, 1]");
        var usable = pool.Where(r => r.Refused is null).ToList();
        int largest = sizes.Max();
        var order = SeededPermutation.Create(usable.Count, seed);
        var kept = new List<ImageRecord>(largest);
        var keptVectors = new List<float[]>(largest);
        var keptMeans = new List<double>(largest);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new List<(ImageRecord, string)>();
        foreach (int i in order)
        {
            if (kept.Count == largest) break;
            var record = usable[i];
            float[] v;
            string hash;
            try
            {
                hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(record.Path)));
                v = Thumbnail(record.Path);
            }
            catch (Exception e) when (ImageFault.IsPerFile(e))
            {
                dropped.Add((record, $"unreadable: {ImageFault.Describe(e)}"));
                continue;
            }
            if (hashes.TryGetValue(hash, out var same))
            {
                dropped.Add((record, $"byte-identical to {same}"));
                continue;
            }
            int best = -1;
            double bestCorrelation = double.NegativeInfinity;
            bool blank = v.All(x => x == 0);
            for (int k = 0; k < keptVectors.Count; k++)
            {
                // constant thumbnails have no correlation: two blank images are duplicates when their colours are within 2 levels
                double c = blank ? (keptVectors[k].All(x => x == 0) && Math.Abs(Mean(record.Path) - keptMeans[k]) <= 2 ? 1 : 0) : Dot(v, keptVectors[k]);
                if (c > bestCorrelation) (bestCorrelation, best) = (c, k);
            }
            if (best >= 0 && bestCorrelation > duplicateCorrelation)
            {
                dropped.Add((record, $"near-duplicate of {kept[best].Id} (thumbnail correlation {bestCorrelation.ToString("0.000", CultureInfo.InvariantCulture)})"));
                continue;
            }
            hashes[hash] = record.Id;
            kept.Add(record);
            keptVectors.Add(v);
            keptMeans.Add(blank ? Mean(record.Path) : double.NaN);
            progress?.Report((double)kept.Count / largest);
        }
        if (kept.Count < largest)
            throw new InputDataException($"the pool has only {kept.Count} usable distinct images ({dropped.Count} dropped as unreadable or duplicates); the largest subset asks for {largest}");
        return new SubsetPlan(kept, sizes.OrderBy(s => s).ToList(), seed, duplicateCorrelation, dropped);
    }

    /// <summary>16×16 RGB composited onto white, centred and scaled to unit length (a constant image gives zeros).</summary>
    public static float[] Thumbnail(string path)
    {
        var image = ImageDecoder.Decode(path, alpha: AlphaHandling.White);
        var small = PilResampler.Resize(image, ThumbnailSize, ThumbnailSize, ResampleFilter.Bilinear);
        var v = new float[small.Pixels.Length];
        double mean = 0;
        for (int i = 0; i < v.Length; i++) mean += small.Pixels[i];
        mean /= v.Length;
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double d = small.Pixels[i] - mean;
            v[i] = (float)d;
            norm += d * d;
        }
        if (norm > 0)
        {
            float inv = (float)(1 / Math.Sqrt(norm));
            for (int i = 0; i < v.Length; i++) v[i] *= inv;
        }
        return v;
    }

    /// <summary>Mean 8-bit level of the 16×16 thumbnail (for constant images, whose centred thumbnail is all zeros).</summary>
    private static double Mean(string path)
    {
        var small = PilResampler.Resize(ImageDecoder.Decode(path, alpha: AlphaHandling.White), ThumbnailSize, ThumbnailSize, ResampleFilter.Bilinear);
        return small.Pixels.Average(b => (double)b);
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// Writes <c>subset-N.csv</c> for every size (columns path, id, and label when the pool has labels; paths relative to
    /// <paramref name="folder"/> when inside it, absolute otherwise), <c>dropped.csv</c>, and <c>subsets.json</c> (seed, sizes, threshold, counts).
    /// </summary>
    public static IReadOnlyList<string> Write(SubsetPlan plan, string folder, string poolDescription, string prefix = "subset")
    {
        Directory.CreateDirectory(folder);
        var root = Path.GetFullPath(folder);
        bool labels = plan.Order.Any(r => r.Label is not null);
        string PathOf(ImageRecord r)
        {
            var rel = Path.GetRelativePath(root, r.Path);
            return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? r.Path : rel.Replace('\\', '/');
        }
        var written = new List<string>();
        foreach (int size in plan.Sizes)
        {
            var path = Path.Combine(folder, $"{prefix}-{size}.csv");
            var lines = new List<string> { labels ? "path,id,label" : "path,id" };
            lines.AddRange(plan.Subset(size).Select(r => labels
                ? CsvTable.Line(PathOf(r), r.Id, r.Label ?? "")
                : CsvTable.Line(PathOf(r), r.Id)));
            AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
            written.Add(path);
        }
        AtomicFile.WriteAllText(Path.Combine(folder, prefix == "subset" ? "dropped.csv" : $"{prefix}-dropped.csv"),
            "path,reason\n" + string.Concat(plan.Dropped.Select(d => CsvTable.Line(d.Image.Path, d.Reason) + "\n")));
        AtomicFile.WriteAllText(Path.Combine(folder, prefix == "subset" ? "subsets.json" : $"{prefix}.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            pool = poolDescription, seed = plan.Seed, sizes = plan.Sizes, duplicate_correlation = plan.DuplicateCorrelation,
            thumbnail = $"{ThumbnailSize}x{ThumbnailSize} RGB composited onto white, bilinear, Pearson correlation",
            permutation = "Fisher-Yates driven by SplitMix64 (SeededPermutation)", dropped = plan.Dropped.Count,
            classes = labels ? plan.Order.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key ?? "", g => g.Count()) : null,
        }, JsonFile.Indented) + "\n");
        return written;
    }
}
