namespace Replication.Analyses.Scanning;

/// <summary>
/// Checks of a scan's inputs that need no image decoded: the same folder on both sides is refused (every generation would
/// match itself); a folder nested in the other, and an output folder inside an input folder, are warned about.
/// </summary>
public static class InputChecks
{
    public static IReadOnlyList<string> Check(ScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        string gen = Full(options.Generated), train = Full(options.Training), output = Full(options.OutputFolder);
        if (string.Equals(gen, train, StringComparison.Ordinal))
            throw new ParameterException(nameof(options.Training), options.Training, "the same as the generated set: every generation would match itself at 1.000");
        bool genDir = Directory.Exists(gen), trainDir = Directory.Exists(train);
        if (genDir && trainDir && Inside(gen, train))
            warnings.Add($"the generated folder {options.Generated} lies inside the training folder {options.Training}: its images are also training images and match themselves");
        if (genDir && trainDir && Inside(train, gen))
            warnings.Add($"the training folder {options.Training} lies inside the generated folder {options.Generated}: training images are also counted as generations");
        foreach (var (name, input, isDir) in new[] { ("generated", gen, genDir), ("training", train, trainDir) })
            if (isDir && (Inside(output, input) || output == input))
                warnings.Add($"the output folder {options.OutputFolder} lies inside the {name} folder; keep outputs apart from inputs");
        return warnings;
    }

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool Inside(string inner, string outer) =>
        inner.StartsWith(outer + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
