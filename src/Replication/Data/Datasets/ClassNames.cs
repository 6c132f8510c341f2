namespace Replication.Data.Datasets;

/// <summary>Class labels of images and readable names for them.</summary>
public static class ClassNames
{
    /// <summary>An image's class: its manifest label, else the first folder of its path inside the input folder, else null.</summary>
    public static string? Of(Replication.Images.ImageRecord image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!string.IsNullOrEmpty(image.Label)) return image.Label;
        int slash = image.Id.IndexOf('/');
        return slash > 0 ? image.Id[..slash] : null;
    }

    /// <summary>ImageNet's LOC_synset_mapping.txt: <c>n01440764 tench, Tinca tinca</c> → n01440764 ↦ "tench" (the first name).</summary>
    public static IReadOnlyDictionary<string, string> ReadSynsetMapping(string path)
    {
        if (!File.Exists(path)) throw new InputMissingException($"{path}: class-name file not found", path);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        int line = 0;
        foreach (var l in File.ReadLines(path))
        {
            line++;
            if (l.Trim().Length == 0) continue;
            int space = l.IndexOf(' ');
            if (space <= 0) throw new InputDataException($"{path}: line {line}: expected 'SYNSET name, other names', found '{l}'");
            names[l[..space]] = l[(space + 1)..].Split(',')[0].Trim();
        }
        return names;
    }
}
