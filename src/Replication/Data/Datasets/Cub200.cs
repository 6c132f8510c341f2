using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// CUB-200-2011 in its published layout (<c>CUB_200_2011/images.txt</c>, <c>image_class_labels.txt</c>,
/// <c>images/</c>). Protocol: the deep-metric-learning split, classes 101–200 (5,924 images); every image queries all
/// the others, positives are the same species, the query itself is junk.
/// </summary>
public static class Cub200
{
    public static CopyDataset Load(string root)
    {
        string folder = File.Exists(Path.Combine(root, "images.txt")) ? root : Path.Combine(root, "CUB_200_2011");
        string imagesTxt = Path.Combine(folder, "images.txt"), labelsTxt = Path.Combine(folder, "image_class_labels.txt");
        foreach (var f in new[] { imagesTxt, labelsTxt })
            if (!File.Exists(f)) throw new InputMissingException($"{f}: not found (expected the CUB_200_2011 folder layout)", f);
        var paths = ReadPairs(imagesTxt);
        var labels = ReadPairs(labelsTxt);
        var items = new List<(ImageRecord, string)>();
        foreach (var (id, rel) in paths.OrderBy(p => int.Parse(p.Key)))
        {
            if (!labels.TryGetValue(id, out var label))
                throw new InputDataException($"{labelsTxt}: no class for image {id}");
            if (!int.TryParse(label, out int cls) || cls < 1 || cls > 200)
                throw new InputDataException($"{labelsTxt}: image {id} has class '{label}', expected 1..200");
            if (cls <= 100) continue;
            string path = Path.Combine(folder, "images", rel);
            if (!File.Exists(path)) throw new InputMissingException($"{path}: listed in {imagesTxt} but missing", path);
            items.Add((new ImageRecord(rel, path, rel), label));
        }
        return ClassRetrieval.Build("cub200", items, queryCountsItself: false);
    }

    private static Dictionary<string, string> ReadPairs(string path)
    {
        var result = new Dictionary<string, string>();
        int line = 0;
        foreach (var l in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(l)) continue;
            var parts = l.Trim().Split(' ', 2);
            if (parts.Length != 2) throw new InputDataException($"{path}: line {line}: expected '<id> <value>'");
            result[parts[0]] = parts[1];
        }
        return result;
    }
}
