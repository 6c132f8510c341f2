using System.Text.RegularExpressions;

namespace Replication.Tests.Architecture;

/// <summary>
/// The library names its parameters, never the CLI's options: the CLI turns a parameter into its option in one place
/// (Replication.Cli.OptionNames), so a notebook user never reads <c>--k</c> and a CLI user never reads <c>TopK</c>.
/// </summary>
public partial class ErrorWordingTests
{
    /// <summary>Places that write other programs' command lines: their options are those programs' arguments, not wording.
    /// A file named alone is allowed whole (it writes nothing else); a file with a marker only on lines holding it.</summary>
    private static readonly (string File, string? Line)[] CommandLineWriters =
    [
        ("Core/Cluster/SlurmScripts.cs", null),                         // sbatch scripts that run the CLI
        ("Analyses/Benchmark/SamplingBenchmark.cs", null),              // the PyTorch sampling peer's arguments
        ("Figures/CaseStudyFigure.cs", "[\"search-store\", \"--queries\""), // the CLI submitted to Slurm
    ];

    [GeneratedRegex("\"[^\"\\n]*--[a-z{]")]
    private static partial Regex OptionInString();

    [Fact]
    public void NoStringInTheLibraryNamesAnOption()
    {
        string root = Path.Combine(Fixtures.RepositoryRoot(), "src", "Replication");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            if (CommandLineWriters.Any(w => w.File == relative && w.Line is null)) continue;
            int line = 0;
            foreach (var text in File.ReadLines(file))
            {
                line++;
                if (text.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue; // documentation may say how the CLI spells it
                if (CommandLineWriters.Any(w => w.File == relative && w.Line is { } marker && text.Contains(marker, StringComparison.Ordinal))) continue;
                if (OptionInString().IsMatch(text)) offenders.Add($"{relative}:{line}: {text.Trim()}");
            }
        }
        Assert.Empty(offenders);
    }

    [Fact]
    public void TheCheckFindsAnOptionInAString() => Assert.Matches(OptionInString(), "throw new UsageException(\"--k 0: must be at least 1\");");
}
