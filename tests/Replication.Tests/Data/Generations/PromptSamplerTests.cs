using Replication.Data.Generations;

namespace Replication.Tests.Data.Generations;

public class PromptSamplerTests
{
    private static List<CaptionedSample> Population(int n) =>
        Enumerable.Range(0, n).Select(i => new CaptionedSample($"k{i:D3}", $"caption {i}", i)).ToList();

    [Fact]
    public void TheSameSeedGivesTheSamePrompts()
    {
        var a = PromptSampler.Sample(Population(50), 20, 42);
        var b = PromptSampler.Sample(Population(50), 20, 42);
        var c = PromptSampler.Sample(Population(50), 20, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(r => r.SourceKey), c.Select(r => r.SourceKey));
        Assert.All(a, r => Assert.Equal($"caption {r.SourceKey[1..].TrimStart('0').PadLeft(1, '0')}", r.Prompt));
        Assert.All(a, r => Assert.Equal(long.Parse(r.SourceKey[1..]), r.SourceRow));
        Assert.All(a, r => Assert.InRange(r.Seed, 0, int.MaxValue));
    }

    [Fact]
    public void DrawsWithReplacement()
    {
        // 30 draws from 5 captions must repeat some; each caption is about equally likely over many draws
        var few = PromptSampler.Sample(Population(5), 30, 1);
        Assert.True(few.Select(r => r.SourceKey).Distinct().Count() < few.Count);
        var many = PromptSampler.Sample(Population(4), 4000, 2);
        foreach (var group in many.GroupBy(r => r.SourceKey))
            Assert.InRange(group.Count(), 850, 1150);
        // more prompts than captions is allowed
        Assert.Equal(10, PromptSampler.Sample(Population(1), 10, 3).Count);
    }

    [Fact]
    public void AnEmptyPopulationIsRefused() =>
        Assert.Throws<InputDataException>(() => PromptSampler.Sample([], 3, 1));

    [Fact]
    public void CaptionsComeFromAManifestWithKeysAndTheManifestIsWritten()
    {
        string folder = Fixtures.TempFolder();
        string manifest = Path.Combine(folder, "train.csv");
        File.WriteAllText(manifest, "path,caption\na.png,\"a cat, sitting\"\nb.png,\nc.png,a dog\n");
        var population = TrainingCaptions.Read(manifest).ToList();
        Assert.Equal([new CaptionedSample("a.png", "a cat, sitting", null), new CaptionedSample("c.png", "a dog", null)], population);
        var rows = PromptSampler.Sample(population, 6, 9);
        string output = Path.Combine(folder, "prompts.csv");
        PromptManifest.Write(output, rows);
        var table = Replication.Core.Formats.CsvTable.Read(output);
        Assert.Equal(["prompt", "source_key", "seed"], table.Header);
        Assert.Equal(6, table.Rows.Count);
        Assert.Equal(rows[0].Prompt, table.Cell(0, "prompt"));

        string bad = Path.Combine(folder, "nocaption.csv");
        File.WriteAllText(bad, "path,title\na.png,x\n");
        Assert.Contains("'caption'", Assert.Throws<InputDataException>(() => TrainingCaptions.Read(bad).ToList()).Message);
    }
}
