using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// GPR1200 in its published layout: one folder of 12,000 images named <c>&lt;category&gt;_&lt;name&gt;.jpg</c>.
/// Protocol (the authors' evaluation code): every image queries the whole set, itself included, and positives are the
/// images of its category — so the query itself counts as a positive at rank 0.
/// </summary>
public static class Gpr1200
{
    public static CopyDataset Load(string root)
    {
        string folder = Directory.Exists(Path.Combine(root, "images")) ? Path.Combine(root, "images") : root;
        if (!Directory.Exists(folder)) throw new InputMissingException($"{root}: GPR1200 folder not found", folder);
        var items = new List<(ImageRecord, string)>();
        foreach (var file in Directory.GetFiles(folder).Where(f => ImageCollection.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())))
        {
            string name = Path.GetFileName(file);
            int cut = name.IndexOf('_');
            if (cut <= 0 || !int.TryParse(name[..cut], out int category))
                throw new InputDataException($"{file}: GPR1200 file names start with the category number and '_'");
            items.Add((new ImageRecord(name, file, name), category.ToString()));
        }
        if (items.Count == 0) throw new InputDataException($"{folder}: no GPR1200 images");
        items = items.OrderBy(x => int.Parse(x.Item2)).ThenBy(x => x.Item1.Id, StringComparer.Ordinal).ToList();
        return ClassRetrieval.Build("gpr1200", items, queryCountsItself: true);
    }
}
