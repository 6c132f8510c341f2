namespace Replication.Embeddings.WebDataset;

/// <summary>
/// Tar entry names are untrusted input: they are read as labels (sample key and extension) and never used to name a file.
/// Names that would climb out of a folder or start at the root are refused all the same, so that a listing never shows them
/// as if they were ordinary samples.
/// </summary>
public static class EntryName
{
    /// <summary>Why <paramref name="name"/> is refused (absolute, climbs with '..', a backslash, a control character), or null when it is an ordinary relative name.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) return "an empty entry name";
        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])))
            return $"entry name '{Printable(name)}' is absolute; refused";
        if (name.Contains('\\'))
            return $"entry name '{Printable(name)}' holds a backslash; refused";
        if (name.Any(char.IsControl))
            return $"entry name '{Printable(name)}' holds a control character; refused";
        if (name.Split('/').Any(s => s == ".."))
            return $"entry name '{Printable(name)}' climbs out of the shard with '..'; refused";
        return null;
    }

    /// <summary>webdataset's split: the key is everything up to the first '.' of the last path segment; the extension (lower case) is the rest.</summary>
    public static (string Key, string Extension) Split(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int slash = name.LastIndexOf('/');
        int dot = name.IndexOf('.', slash + 1);
        return dot < 0 ? (name, "") : (name[..dot], name[(dot + 1)..].ToLowerInvariant());
    }

    /// <summary>The name with control characters shown as '?', for messages.</summary>
    public static string Printable(string name) => new(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
