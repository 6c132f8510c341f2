namespace Replication.Core;

/// <summary>Finds the repository's folders from wherever a notebook, the CLI or a test runs.</summary>
public static class RepositoryPaths
{
    /// <summary>The nearest folder at or above the working folder (then the program's folder) that holds Research.sln, or null.</summary>
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Research.sln")))
                    return dir.FullName;
        return null;
    }

    /// <summary>data/demo-sources of the repository, or null outside a checkout.</summary>
    /// <summary>data/demo-sources of the checkout the working folder is in, else the copy an installed tool carries beside its
    /// assemblies (demo-sources/), else null.</summary>
    public static string? DemoSources()
    {
        if (Root() is { } root && Directory.Exists(Path.Combine(root, "data", "demo-sources"))) return Path.Combine(root, "data", "demo-sources");
        string carried = Path.Combine(AppContext.BaseDirectory, "demo-sources");
        return Directory.Exists(carried) ? carried : null;
    }

    /// <summary>A folder under the repository's out/ (ignored by git), or under the working folder outside a checkout.</summary>
    public static string Output(string name) => Path.Combine(Root() ?? Directory.GetCurrentDirectory(), "out", name);
}
