namespace Replication.Embeddings.Store;

/// <summary>
/// The input shards of a store, in a fixed order (every process of a split run must see the same list): a folder's <c>*.tar</c>
/// files in ordinal name order, a single tar file (one shard), or a text file listing one tar per line (relative to the list's
/// folder; blank lines and lines starting with '#' ignored). A shard listed twice (the same file by any path) is refused: it
/// would be embedded twice. A binary file that is not a tar is refused as not a list.
/// </summary>
public static class ShardList
{
    public static IReadOnlyList<string> Resolve(string folderOrList)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderOrList);
        List<string> shards;
        if (Directory.Exists(folderOrList))
        {
            shards = Directory.EnumerateFiles(folderOrList, "*.tar").Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
            if (shards.Count == 0)
                throw new InputDataException($"{folderOrList}: no .tar shards in this folder");
        }
        else if (File.Exists(folderOrList) && IsTar(folderOrList))
        {
            shards = [Path.GetFullPath(folderOrList)];
        }
        else if (File.Exists(folderOrList))
        {
            if (IsBinary(folderOrList))
                throw new InputDataException($"{folderOrList}: neither a tar shard nor a text list of shards (one path per line)");
            string baseDir = Path.GetDirectoryName(Path.GetFullPath(folderOrList))!;
            shards = [];
            int line = 0;
            foreach (var raw in File.ReadLines(folderOrList))
            {
                line++;
                string entry = raw.Trim();
                if (entry.Length == 0 || entry.StartsWith('#')) continue;
                string full = Path.GetFullPath(Path.Combine(baseDir, entry));
                if (!File.Exists(full))
                    throw new InputMissingException($"{folderOrList}, line {line}: shard {full} not found", full);
                shards.Add(full);
            }
            if (shards.Count == 0)
                throw new InputDataException($"{folderOrList}: lists no shards");
        }
        else
        {
            throw new InputMissingException($"{folderOrList}: no such folder or shard list", folderOrList);
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in shards)
        {
            string real = RealPath(s);
            if (!seen.TryAdd(real, s))
                throw new InputDataException($"{folderOrList}: shard {s} is listed twice{(seen[real] == s ? "" : $" (also as {seen[real]})")}; each shard may appear once");
        }
        return shards;
    }

    /// <summary>A POSIX tar: "ustar" at offset 257 of the first header (GNU, PAX and ustar archives all carry it).</summary>
    public static bool IsTar(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> header = stackalloc byte[262];
        int n = f.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return n == header.Length && header[257..262].SequenceEqual("ustar"u8);
    }

    private static bool IsBinary(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4096];
        int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..n].Contains((byte)0);
    }

    private static string RealPath(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.FullName : (info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName);
    }
}
