namespace Replication.Data.Datasets;

/// <summary>Opens a dataset by kind: <c>roxford5k</c>, <c>rparis6k</c> (medium protocol), <c>cub200</c>, <c>gpr1200</c>, <c>instre</c>, or <c>folder</c> (gallery/, queries/, gt.json).</summary>
public static class RetrievalDatasets
{
    public static readonly string[] Kinds = ["roxford5k", "rparis6k", "cub200", "gpr1200", "instre", "folder"];

    public static CopyDataset Open(string kind, string root) => kind.ToLowerInvariant() switch
    {
        "roxford5k" or "rparis6k" => RevisitedOxfordParis.Load(root, kind.ToLowerInvariant()),
        "cub200" => Cub200.Load(root),
        "gpr1200" => Gpr1200.Load(root),
        "instre" => Instre.Load(root),
        "folder" => CopyDatasetFolder.Open(root),
        _ => throw new UsageException($"unknown dataset kind '{kind}' ({string.Join(", ", Kinds)})"),
    };

    /// <summary>Parses <c>kind:path</c> (a bare path means <c>folder</c>).</summary>
    public static (string Kind, string Path) ParseSpec(string spec)
    {
        int colon = spec.IndexOf(':');
        if (colon > 0 && Kinds.Contains(spec[..colon].ToLowerInvariant()))
            return (spec[..colon].ToLowerInvariant(), spec[(colon + 1)..]);
        return ("folder", spec);
    }
}
