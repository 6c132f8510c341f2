using Replication.Analyses.CaseStudy;

namespace Replication.Tests.Analyses.CaseStudy;

public class PromptVariantsTests
{
    [Fact]
    public void RemovingGivesTheBaseThenOneVariantPerPhrase()
    {
        var v = PromptVariants.Removing("The Great Wave off Kanagawa by Katsushika Hokusai", ["by Katsushika Hokusai", "off Kanagawa"]);
        Assert.Equal(["The Great Wave off Kanagawa by Katsushika Hokusai", "The Great Wave off Kanagawa", "The Great Wave by Katsushika Hokusai"],
            v.Select(x => x.Prompt));
        Assert.Equal([null, "by Katsushika Hokusai", "off Kanagawa"], v.Select(x => x.Removed));
        Assert.Equal("Phrases", Assert.Throws<ParameterException>(() => PromptVariants.Removing("a cat", ["a dog"])).Parameter);
        Assert.Contains("empty prompt", Assert.ThrowsAny<UsageException>(() => PromptVariants.Removing("a cat", ["a cat"])).Message);
        Assert.Contains("same prompt", Assert.ThrowsAny<UsageException>(() => PromptVariants.Removing("a cat, a cat", ["a cat", "a cat"])).Message);
    }

    [Fact]
    public void PresetsHoldThePapersTablesAndUnknownNamesAreRefused()
    {
        Assert.Equal(20, PromptVariants.Preset("artworks").Count);
        Assert.Equal(4, PromptVariants.Preset("great-wave").Count);
        var canvas = PromptVariants.Preset("canvas-wall-art");
        Assert.Equal(8, canvas.Count);
        Assert.All(canvas.Where(c => c.Removed is not null), c => Assert.DoesNotContain(PromptVariants.KeyPhrase, c.Prompt));
        Assert.Equal("Starry night painting", canvas[3].Prompt);
        Assert.Equal("Preset", Assert.Throws<ParameterException>(() => PromptVariants.Preset("nope")).Parameter);
    }

    [Fact]
    public void AVariantsFileRoundTripsWithSeededLines()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "v.csv");
        var variants = PromptVariants.Preset("great-wave");
        PromptVariants.Write(path, variants, perVariant: 3, seed: 5);
        Assert.Equal(13, File.ReadAllLines(path).Length);
        Assert.Equal(variants, PromptVariants.Read(path));
        var again = Path.Combine(Fixtures.TempFolder(), "v.csv");
        PromptVariants.Write(again, variants, perVariant: 3, seed: 5);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void AVariantsFileWithTwoVariantsOfOnePromptIsRefusedNamingTheRow()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "v.csv");
        File.WriteAllLines(path, ["variant,prompt,removed,seed", "a,a cat,,1", "b,a cat ,,2"]);
        var e = Assert.Throws<InputDataException>(() => PromptVariants.Read(path));
        Assert.Contains("row 2", e.Message);
        Assert.Contains("same prompt", e.Message);
    }

    [Fact]
    public void RatesCountEachVariantsGenerationsAndListVariantsWithoutAny()
    {
        var f = CaseStudyFixture.Create();
        var study = CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, Path.Combine(Fixtures.TempFolder(), "s"),
            new CaseStudySettings(Replication.Embeddings.Similarity.InnerProduct, Threshold: 0.9, K: 2, BootstrapSamples: 200));
        var rates = KeyPhraseStudy.Rates(study, [new("a", "img 10"), new("b", "img 07"), new("c", "never generated")]);
        Assert.Equal((1, 1), (rates[0].Rate.Count, rates[0].Rate.Total));
        Assert.Equal((0, 1), (rates[1].Rate.Count, rates[1].Rate.Total));
        Assert.False(rates[2].HasGenerations);
        Assert.Equal("no generations yet", CaseStudyCharts.VariantTable(rates)["replication rate"][2]);
    }
}
