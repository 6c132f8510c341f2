using Replication.Embeddings;

namespace Replication.Tests.Cli;

/// <summary>
/// The command line as System.CommandLine parses it: help for every command (with defaults and every built-in model),
/// unknown commands and options, missing values, <c>--name=value</c>, and every option checked, with its name, before any
/// image is read.
/// </summary>
public class CommandLineTests
{
    [Fact]
    public void RootHelpListsEveryCommandAndNoArgumentsIsAUsageError()
    {
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "scan", "embed", "search", "demo", "bench", "check-model", "copies", "evaluate", "figures" })
            Assert.Contains(command, help.Stdout);
        var none = CliRunner.Run();
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("Usage:", none.Stdout);
    }

    [Fact]
    public void AnEmptyTextValueIsAParseErrorForEveryCommandThatTakesOne()
    {
        // every text option of every command (paths above all): `--out ''` must name the option, not reach the library
        var root = Replication.Cli.CommandLineApp.Build();
        int checkedOptions = 0;
        void Visit(System.CommandLine.Command command, string[] path)
        {
            foreach (var option in command.Options.OfType<System.CommandLine.Option<string>>())
            {
                var result = root.Parse([.. path, option.Name, ""]);
                // text options say "empty value"; choices and parsed values refuse it in their own words; all name the option
                Assert.True(result.Errors.Any(e => e.Message.Contains(option.Name, StringComparison.Ordinal)),
                    $"{string.Join(" ", path)} {option.Name} '': {string.Join(" | ", result.Errors.Select(e => e.Message))}");
                checkedOptions++;
            }
            foreach (var sub in command.Subcommands) Visit(sub, [.. path, sub.Name]);
        }
        foreach (var command in root.Subcommands) Visit(command, [command.Name]);
        Assert.True(checkedOptions > 40, $"only {checkedOptions} text options found");
        var search = CliRunner.Run("search", "--queries", Fixtures.Path("official", "queries.npy"), "--gallery", EmptyGallery(), "--out", Path.Combine(Fixtures.TempFolder(), "m.csv"));
        Assert.Equal(1, search.ExitCode); // an empty gallery is the data's fault, said by name: not an internal error
        Assert.Contains("empty gallery", search.Stderr);
    }

    private static string EmptyGallery()
    {
        using var q = Replication.Core.Formats.NpyMatrix.Open(Fixtures.Path("official", "queries.npy"));
        string path = Path.Combine(Fixtures.TempFolder(), "empty.npy");
        Replication.Core.Formats.NpyWriter.Write(path, [], q.Columns);
        return path;
    }

    [Theory]
    [InlineData("scan")]
    [InlineData("embed")]
    [InlineData("demo")]
    [InlineData("bench")]
    public void HelpListsEveryBuiltinModelAndTheDefaultsAsWritten(string command)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var name in BuiltinModels.Names)
            Assert.Contains(name, r.Stdout);
        // the copy detector by default; bench keeps the ImageNet ResNet-18 its peers were measured against
        Assert.Contains(command == "bench" ? "[default: resnet18]" : "[default: copy-detector]", r.Stdout);
        Assert.Contains("[default: cpu]", r.Stdout);
    }

    [Fact]
    public void ScanHelpShowsTypedDefaultsAndRequiredOptions()
    {
        var r = CliRunner.Run("scan", "--help");
        Assert.Contains("[default: auto]", r.Stdout);
        Assert.Contains("[default: 4GiB]", r.Stdout);
        Assert.Contains("[default: none]", r.Stdout);
        Assert.Contains("[default: 20]", r.Stdout);
        Assert.Contains("--generated <generated> (REQUIRED)", r.Stdout);
        Assert.Contains("<composite|drop>", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "search", "--queries", "q.npy", "--bogus", "1" }, "unknown option --bogus")]
    [InlineData(new[] { "scan", "--generated", "g", "--training", "t", "--out" }, "--out needs a value")]
    [InlineData(new[] { "scan", "--generated", "--training", "t", "--out", "o" }, "--generated needs a value")]
    [InlineData(new[] { "scan", "--training", "t", "--out", "o" }, "--generated")]
    [InlineData(new[] { "embed", "--images", "i", "--out", "o", "--strict" }, "unknown option --strict")]
    [InlineData(new[] { "search", "--queries", "q", "--gallery", "g", "--out", "o", "--k", "3", "--k", "4" }, "--k")]
    public void CommandLineMistakesAreOneLineAndExitCode2(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: ", r.Stderr);
    }

    [Fact]
    public void NameEqualsValueIsTheSameAsNameSpaceValue()
    {
        var npy = Fixtures.Path("npy", "float32_7x5.npy");
        var dir = Fixtures.TempFolder();
        var spaced = CliRunner.Run("search", "--queries", npy, "--gallery", npy, "--k", "2", "--out", Path.Combine(dir, "a.csv"));
        var joined = CliRunner.Run("search", $"--queries={npy}", $"--gallery={npy}", "--k=2", $"--out={Path.Combine(dir, "b.csv")}");
        Assert.True(spaced.ExitCode == 0, spaced.Stderr);
        Assert.True(joined.ExitCode == 0, joined.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "a.csv")), File.ReadAllText(Path.Combine(dir, "b.csv")));
    }

    /// <summary>A folder of real images: a check that came after decoding would leave an output folder and progress lines.</summary>
    private static string Images()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in new[] { "camera.png", "chelsea.png", "horse.png" })
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(dir, f));
        return dir;
    }

    [Theory]
    [InlineData("--k", "0")]
    [InlineData("--k", "many")]
    [InlineData("--batch", "0")]
    [InlineData("--batch", "2147483647")]
    [InlineData("--gallery-rows", "-1")]
    [InlineData("--threshold", "x")]
    [InlineData("--threshold", "2")]
    [InlineData("--threshold", "NaN")]
    [InlineData("--chunks", "0")]
    [InlineData("--chunks", "3", "--metric", "split")]
    [InlineData("--metric", "l1")]
    [InlineData("--whiten", "pca")]
    [InlineData("--whiten", "whiten", "--metric", "split")]
    [InlineData("--search-memory", "1KiB")]
    [InlineData("--search-memory", "lots")]
    [InlineData("--device", "tpu")]
    [InlineData("--alpha", "blend")]
    [InlineData("--background", "#12345")]
    [InlineData("--model", "resnet50")]
    public void ScanNamesTheBadOptionBeforeAnyImageIsRead(string option, string value, params string[] more)
    {
        var images = Images();
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run(["scan", "--generated", images, "--training", Images(), "--out", outDir, option, value, .. more]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("embedding", r.Stdout);
        Assert.False(Directory.Exists(outDir), "nothing written");
    }

    [Theory]
    [InlineData("--chunk", "0")]
    [InlineData("--chunk", "100001")]
    [InlineData("--batch", "-3")]
    [InlineData("--device", "tpu")]
    public void EmbedNamesTheBadOptionBeforeAnyImageIsRead(string option, string value)
    {
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var r = CliRunner.Run("embed", "--images", Images(), "--out", outDir, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ChunksThatDoNotDivideTheEmbeddingsAreRefusedFromTheHeaders()
    {
        var npy = Fixtures.Path("npy", "float32_7x5.npy");
        var outCsv = Path.Combine(Fixtures.TempFolder(), "m.csv");
        var r = CliRunner.Run("search", "--queries", npy, "--gallery", npy, "--metric", "split", "--chunks", "2", "--out", outCsv);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--chunks 2", r.Stderr);
        Assert.False(File.Exists(outCsv));
    }

    [Fact]
    public void BenchStoreScaleCaseRunsEndToEndAndPrintsItsTable()
    {
        var folder = Path.Combine(Fixtures.TempFolder(), "store-bench");
        var r = CliRunner.Run("bench", "--skip-embedding", "--skip-search", "--skip-jpeg", "--store-rows", "2000", "--store-shards", "5",
            "--store-queries", "50", "--store-dim", "64", "--store-folder", folder);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("store scale: synthetic store of 2,000 rows × 64 in 5 shards", r.Stdout);
        Assert.Contains("peak RSS MiB", r.Stdout);
        foreach (var name in new[] { "staged 1/5 shards", "staged 2/5 shards", "staged 5/5 shards", "in-memory 1/5 shards", "merge share", "out-of-core / in-memory" })
            Assert.Contains(name, r.Stdout);
        Assert.DoesNotContain("failed", r.Stdout);
        Assert.False(Directory.Exists(folder)); // not kept: removed at the end
        // a bad fraction is a usage error before any measurement
        var bad = CliRunner.Run("bench", "--skip-embedding", "--skip-search", "--skip-jpeg", "--store-fractions", "0.5,2");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--store-fractions: '2'", bad.Stderr);
        Assert.DoesNotContain("store scale", bad.Stdout);
    }

    [Fact]
    public void BenchChecksItsOptionsBeforeTheFirstMeasurement()
    {
        var r = CliRunner.Run("bench", "--dim", "10", "--chunks", "4", "--skip-embedding");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--chunks 4 does not divide --dim 10", r.Stderr);
        Assert.DoesNotContain("jpeg decode", r.Stdout);
    }

    [Theory]
    [InlineData("evaluate", "--matches")]
    [InlineData("search", "--queries")]
    [InlineData("check-model", "--card")]
    public void AMissingInputFileIsExitCode3NamingTheOption(string command, string option)
    {
        var dir = Fixtures.TempFolder();
        string missing = Path.Combine(dir, "missing.file");
        string npy = Fixtures.Path("npy", "float32_7x5.npy");
        string[] args = command switch
        {
            "evaluate" => ["evaluate", "--matches", missing, "--ground-truth", missing],
            "search" => ["search", "--queries", missing, "--gallery", npy, "--out", Path.Combine(dir, "m.csv")],
            _ => ["check-model", "--card", missing],
        };
        var r = CliRunner.Run(args);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"error: {option} {missing}: no such file", r.Stderr.Trim());
    }
}
