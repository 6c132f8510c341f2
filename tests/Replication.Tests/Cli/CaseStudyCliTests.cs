using Replication.Analyses.CaseStudy;
using Replication.Core.Formats;
using Replication.Tests.Analyses.CaseStudy;

namespace Replication.Tests.Cli;

/// <summary>prompts variants and case-study from the command line, on the planted store of <see cref="CaseStudyFixture"/>.</summary>
public class CaseStudyCliTests
{
    [Fact]
    public void CaseStudyWritesItsFilesReadingAndReportWithVariantRates()
    {
        var f = CaseStudyFixture.Create();
        var variants = Path.Combine(Fixtures.TempFolder(), "variants.csv");
        var made = CliRunner.Run("prompts", "variants", "--base", "img 10 by someone", "--phrases", "by someone", "--per-variant", "2", "--out", variants);
        Assert.True(made.ExitCode == 0, made.Stderr);
        Assert.Contains("without-1: img 10", made.Stdout);
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        var report = Path.Combine(outDir, "report.html");
        var run = CliRunner.Run("case-study", "--store", f.Store, "--generations", f.Manifest, "--embeddings", f.Embeddings, "--out", outDir,
            "--threshold", "0.9", "--k", "2", "--bootstrap", "200", "--variants", variants, "--report", report);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("2/4 = 50%", run.Stdout);
        Assert.Contains("without-1 1/1 = 100%", run.Stdout); // the generation prompted "img 10" replicates
        Assert.Equal(7, CsvTable.Read(Path.Combine(outDir, CaseStudyFiles.Generations)).Rows.Count + 1);
        string html = File.ReadAllText(report);
        Assert.Contains("Figure 11", html);
        Assert.Contains("no-such-key", html);
    }

    [Fact]
    public void BadOptionsAreNamedBeforeAnyWork()
    {
        var f = CaseStudyFixture.Create();
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        var k = CliRunner.Run("case-study", "--store", f.Store, "--generations", f.Manifest, "--embeddings", f.Embeddings, "--out", outDir, "--k", "1");
        Assert.Equal(2, k.ExitCode);
        Assert.Contains("--k", k.Stderr);
        var missing = CliRunner.Run("case-study", "--store", f.Store + "-nope", "--generations", f.Manifest, "--embeddings", f.Embeddings, "--out", outDir);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("--store", missing.Stderr);
        Assert.False(Directory.Exists(outDir));
        var both = CliRunner.Run("prompts", "variants", "--preset", "artworks", "--base", "x", "--out", Path.Combine(outDir, "v.csv"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--preset or --base", both.Stderr);
    }
}
