using System.Globalization;
using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// CelebA-HQ (Karras et al. 2018), the 30,000 faces google/ddpm-celebahq-256 was trained on, as one folder of images named by
/// their index: <c>0.jpg</c> … <c>29999.jpg</c> (CelebAMask-HQ's <c>CelebA-HQ-img/</c>, which is also found when its parent
/// <c>CelebAMask-HQ/</c> is given) or zero-padded, e.g. <c>00000.png</c> … <c>29999.png</c>. Images are ordered by the number,
/// not ordinally (ordinally <c>10.jpg</c> would come before <c>2.jpg</c>); other files in the folder are ignored.
/// </summary>
public static class CelebAHq
{
    public const string MaskHqImageFolder = "CelebA-HQ-img";

    /// <summary>
    /// The images in index order. Every image file's name must be its index; the indices must run 0…n−1 without a gap (both
    /// published layouts do) unless <paramref name="allowGaps"/>, for a partial copy.
    /// </summary>
    public static IReadOnlyList<ImageRecord> Load(string folder, bool allowGaps = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: CelebA-HQ folder not found");
        folder = Path.GetFullPath(folder);
        if (!ImageFiles(folder).Any() && Directory.Exists(Path.Combine(folder, MaskHqImageFolder)))
            folder = Path.Combine(folder, MaskHqImageFolder);
        var byIndex = new SortedDictionary<int, string>();
        foreach (var file in ImageFiles(folder))
        {
            string stem = Path.GetFileNameWithoutExtension(file);
            if (stem.Length == 0 || stem.Length > 9 || !stem.All(char.IsAsciiDigit))
                throw new InvalidDataException($"{file}: CelebA-HQ images are named by their index (0.jpg or 00000.png); this name is not a number");
            int index = int.Parse(stem, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!byIndex.TryAdd(index, file))
                throw new InvalidDataException($"{file}: index {index} again (also {Path.GetFileName(byIndex[index])})");
        }
        if (byIndex.Count == 0)
            throw new InvalidDataException($"{folder}: no CelebA-HQ images (looked for {string.Join(", ", ImageCollection.Extensions)} named by index, and for a {MaskHqImageFolder}/ folder)");
        if (!allowGaps)
        {
            int expected = 0;
            foreach (int index in byIndex.Keys)
            {
                if (index != expected)
                    throw new InvalidDataException($"{Path.Combine(folder, expected.ToString(CultureInfo.InvariantCulture))}.*: image {expected} is missing " +
                                                   $"({byIndex.Count} images, indices up to {byIndex.Keys.Last()}; the published layouts run 0..29999 without gaps; allowGaps accepts a partial copy)");
                expected++;
            }
        }
        return byIndex.Values.Select(f => new ImageRecord(Path.GetFileName(f), f, Path.GetFileName(f))).ToList();
    }

    private static IEnumerable<string> ImageFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && ImageCollection.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()));
}
