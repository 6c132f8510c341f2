using System.Text.Json;

namespace Replication.Data.Datasets;

/// <summary>
/// Object masks of COCO in its published layout (<c>annotations/instances_val2017.json</c> and <c>val2017/</c>):
/// polygon segmentations are rasterised at pixel centres (even–odd rule); crowd regions (RLE) are skipped.
/// </summary>
public static class CocoObjectMasks
{
    public static IReadOnlyList<MaskedObject> Load(string root, string split = "val2017", double minCoverage = 0.02)
    {
        string annotations = Path.Combine(root, "annotations", $"instances_{split}.json");
        if (!File.Exists(annotations))
            throw new InputMissingException($"{annotations}: not found (expected COCO's annotations/ and {split}/ folders)", annotations);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(annotations)); }
        catch (JsonException e) { throw new InputDataException($"{annotations}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            var top = doc.RootElement;
            if (!top.TryGetProperty("images", out var images) || !top.TryGetProperty("annotations", out var anns) || !top.TryGetProperty("categories", out var cats))
                throw new InputDataException($"{annotations}: expected 'images', 'annotations' and 'categories'");
            var files = images.EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64(),
                i => (File: i.GetProperty("file_name").GetString()!, W: i.GetProperty("width").GetInt32(), H: i.GetProperty("height").GetInt32()));
            var names = cats.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt64(), c => c.GetProperty("name").GetString()!);
            var objects = new List<MaskedObject>();
            foreach (var a in anns.EnumerateArray())
            {
                if (a.TryGetProperty("iscrowd", out var crowd) && crowd.GetInt32() == 1) continue;
                if (a.GetProperty("segmentation").ValueKind != JsonValueKind.Array) continue;
                long imageId = a.GetProperty("image_id").GetInt64();
                if (!files.TryGetValue(imageId, out var info))
                    throw new InputDataException($"{annotations}: annotation for unknown image {imageId}");
                if (a.GetProperty("area").GetDouble() < minCoverage * info.W * info.H) continue;
                var polygons = a.GetProperty("segmentation").EnumerateArray()
                    .Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
                string path = Path.Combine(root, split, info.File);
                if (!File.Exists(path)) throw new InputMissingException($"{path}: listed in {annotations} but missing", path);
                string label = names.GetValueOrDefault(a.GetProperty("category_id").GetInt64(), "object");
                objects.Add(new MaskedObject(path, label, () => new ObjectMask(info.W, info.H, Rasterize(polygons, info.W, info.H))));
            }
            return objects;
        }
    }

    /// <summary>Pixels whose centre lies inside the polygons (even–odd rule over all rings).</summary>
    internal static bool[] Rasterize(IReadOnlyList<double[]> polygons, int width, int height)
    {
        var inside = new bool[width * height];
        var crossings = new List<double>();
        for (int y = 0; y < height; y++)
        {
            double cy = y + 0.5;
            crossings.Clear();
            foreach (var p in polygons)
            {
                int n = p.Length / 2;
                for (int i = 0, j = n - 1; i < n; j = i++)
                {
                    double yi = p[2 * i + 1], yj = p[2 * j + 1];
                    if ((yi > cy) != (yj > cy))
                        crossings.Add(p[2 * i] + (cy - yi) * (p[2 * j] - p[2 * i]) / (yj - yi));
                }
            }
            crossings.Sort();
            for (int k = 0; k + 1 < crossings.Count; k += 2)
                for (int x = Math.Max(0, (int)Math.Ceiling(crossings[k] - 0.5)); x < width && x + 0.5 < crossings[k + 1]; x++)
                    inside[y * width + x] = true;
        }
        return inside;
    }
}
