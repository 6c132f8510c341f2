using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// A semantic segmentation target of an image's size, row-major: 0 is the background, objects are ≥ 1, and
/// <see cref="Ignored"/> marks pixels that are no class (Segmix picks among classes above −100, as the official code does).
/// </summary>
public sealed record LabelMap(int Width, int Height, int[] Labels)
{
    public const int Ignored = -100;

    public int this[int y, int x] => Labels[y * Width + x];

    /// <summary>From a PNG's alpha: opaque (alpha ≥ 128) pixels are class 1, the rest background.</summary>
    public static LabelMap FromAlpha(string path)
    {
        using var img = Image.Load<Rgba32>(path);
        var labels = new int[img.Width * img.Height];
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) labels[y * row.Length + x] = row[x].A >= 128 ? 1 : 0;
            }
        });
        return new LabelMap(img.Width, img.Height, labels);
    }

    /// <summary>
    /// The semantic map of one image from its object masks: each object's pixels get its label's class id
    /// (<paramref name="classIds"/>), later objects over earlier ones; everything else is background.
    /// </summary>
    public static LabelMap FromObjects(IReadOnlyList<MaskedObject> objects, IReadOnlyDictionary<string, int> classIds)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (objects.Count == 0) throw new ArgumentException("no objects", nameof(objects));
        LabelMap? map = null;
        foreach (var o in objects)
        {
            var mask = o.LoadMask();
            map ??= new LabelMap(mask.Width, mask.Height, new int[mask.Width * mask.Height]);
            if (mask.Width != map.Width || mask.Height != map.Height)
                throw new InputDataException($"{o.ImagePath}: object masks of different sizes ({mask.Width}x{mask.Height}, {map.Width}x{map.Height})");
            for (int i = 0; i < mask.Inside.Length; i++)
                if (mask.Inside[i]) map.Labels[i] = classIds[o.Label];
        }
        return map!;
    }
}
