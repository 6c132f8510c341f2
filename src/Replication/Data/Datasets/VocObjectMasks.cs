using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Data.Datasets;

/// <summary>
/// Object masks of Pascal VOC in its published layout (<c>VOCdevkit/VOC2012/{JPEGImages, SegmentationObject,
/// SegmentationClass, ImageSets/Segmentation}</c>). SegmentationObject PNGs store each object's index through VOC's
/// colour map, which is inverted here (0 = background, 255 = the void border, both excluded).
/// </summary>
public static class VocObjectMasks
{
    private static readonly string[] ClassNames =
    [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow", "diningtable",
        "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    public static IReadOnlyList<MaskedObject> Load(string root, string split = "val", double minCoverage = 0.02)
    {
        string folder = Directory.Exists(Path.Combine(root, "SegmentationObject")) ? root
            : Directory.Exists(Path.Combine(root, "VOC2012")) ? Path.Combine(root, "VOC2012") : Path.Combine(root, "VOCdevkit", "VOC2012");
        string list = Path.Combine(folder, "ImageSets", "Segmentation", split + ".txt");
        if (!File.Exists(list))
            throw new InputMissingException($"{list}: not found (expected the VOCdevkit/VOC2012 layout)", list);
        var colourToIndex = new Dictionary<Rgb24, byte>();
        for (int i = 0; i < 256; i++) colourToIndex.TryAdd(Colour(i), (byte)i);
        var objects = new List<MaskedObject>();
        foreach (var id in File.ReadLines(list).Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            string image = Path.Combine(folder, "JPEGImages", id + ".jpg");
            string objectPng = Path.Combine(folder, "SegmentationObject", id + ".png");
            string classPng = Path.Combine(folder, "SegmentationClass", id + ".png");
            foreach (var f in new[] { image, objectPng })
                if (!File.Exists(f)) throw new InputMissingException($"{f}: listed in {list} but missing", f);
            var objectIndex = Indices(objectPng, colourToIndex);
            var classIndex = File.Exists(classPng) ? Indices(classPng, colourToIndex) : null;
            foreach (var k in objectIndex.Pixels.Where(p => p is > 0 and < 255).Distinct().Order())
            {
                var inside = objectIndex.Pixels.Select(p => p == k).ToArray();
                var mask = new ObjectMask(objectIndex.Width, objectIndex.Height, inside);
                if (mask.Coverage < minCoverage) continue;
                int cls = classIndex is null ? 0 : classIndex.Pixels[Array.IndexOf(inside, true)];
                objects.Add(new MaskedObject(image, cls < ClassNames.Length ? ClassNames[cls] : "object", () => mask));
            }
        }
        return objects;
    }

    /// <summary>VOC's colour map: index bits spread over the high bits of R, G and B.</summary>
    internal static Rgb24 Colour(int index)
    {
        int r = 0, g = 0, b = 0, c = index;
        for (int j = 0; j < 8; j++)
        {
            r |= ((c >> 0) & 1) << (7 - j);
            g |= ((c >> 1) & 1) << (7 - j);
            b |= ((c >> 2) & 1) << (7 - j);
            c >>= 3;
        }
        return new Rgb24((byte)r, (byte)g, (byte)b);
    }

    private sealed record IndexImage(int Width, int Height, byte[] Pixels);

    private static IndexImage Indices(string png, Dictionary<Rgb24, byte> colourToIndex)
    {
        using var img = Image.Load<Rgb24>(png);
        var pixels = new byte[img.Width * img.Height];
        img.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    pixels[y * row.Length + x] = colourToIndex.TryGetValue(row[x], out var k) ? k
                        : throw new InputDataException($"{png}: colour ({row[x].R},{row[x].G},{row[x].B}) at ({x},{y}) is not in VOC's colour map");
            }
        });
        return new IndexImage(img.Width, img.Height, pixels);
    }
}
