using Replication.Data.Generations;
using Replication.Images;
using Replication.Core.Formats;
using Replication.Tests.Analyses.CaseStudy;

namespace Replication.Tests.Data.Generations;

public class StandInGenerationsTests
{
    [Fact]
    public void PlantedAndNovelLinesFollowTheirProbabilitiesAreSeededAndPassOverUnreadableImages()
    {
        var f = CaseStudyFixture.Create();
        var heldFolder = Fixtures.TempFolder();
        File.WriteAllBytes(Path.Combine(heldFolder, "a_broken.png"), [0x89, 0x50, 0x4E, 0x47, 0, 0]);
        File.Copy(Path.Combine(Path.GetDirectoryName(f.Manifest)!, "g2.png"), Path.Combine(heldFolder, "b_novel.png"));
        var heldOut = ImageCollection.FromFolder(heldFolder);
        var lines = Enumerable.Range(0, 8).Select(i => new StandInGenerations.Line($"prompt {i}", "-", i, Planted: i < 4 ? 1 : 0, PlantedRow: i == 0 ? 3 : null)).ToList();
        string a = StandInGenerations.Make(lines, f.Store, heldOut, Path.Combine(Fixtures.TempFolder(), "a"), seed: 9, size: 32);
        string b = StandInGenerations.Make(lines, f.Store, heldOut, Path.Combine(Fixtures.TempFolder(), "b"), seed: 9, size: 32);
        Assert.Equal([.. Enumerable.Repeat(StandInKind.Planted, 4), .. Enumerable.Repeat(StandInKind.Novel, 4)], StandInGenerations.Kinds(a));
        var table = CsvTable.Read(a);
        Assert.Equal("3", table.Cell(0, "planted_row"));
        Assert.Equal("", table.Cell(5, "planted_row"));
        foreach (var (x, y) in Directory.GetFiles(Path.GetDirectoryName(a)!, "*.png").Order().Zip(Directory.GetFiles(Path.GetDirectoryName(b)!, "*.png").Order()))
            Assert.Equal(File.ReadAllBytes(x), File.ReadAllBytes(y));
        var image = ImageDecoder.Decode(Path.Combine(Path.GetDirectoryName(a)!, "000005.png"));
        Assert.Equal((32, 32), (image.Width, image.Height));
        Assert.Equal(8, GeneratedManifest.Read(a).Count); // a generated-images manifest like any other
    }

    [Fact]
    public void AnInBetweenProbabilityPlantsAboutThatShare()
    {
        var f = CaseStudyFixture.Create();
        var heldOut = ImageCollection.FromFolder(Path.GetDirectoryName(f.Manifest)!).Where(r => !r.Path.EndsWith("g5.png")).ToList();
        var lines = Enumerable.Range(0, 120).Select(i => new StandInGenerations.Line($"p{i}", "-", i, Planted: 0.3)).ToList();
        var kinds = StandInGenerations.Kinds(StandInGenerations.Make(lines, f.Store, heldOut, Path.Combine(Fixtures.TempFolder(), "o"), seed: 4, size: 16));
        // Binomial(120, 0.3): mean 36, sd 5; 20..52 is beyond 3 sd either side
        Assert.InRange(kinds.Count(k => k == StandInKind.Planted), 20, 52);
    }

    [Fact]
    public void NoReadableHeldOutImageIsOneClearError()
    {
        var f = CaseStudyFixture.Create();
        var heldFolder = Fixtures.TempFolder();
        File.WriteAllBytes(Path.Combine(heldFolder, "broken.png"), [0x89, 0x50, 0x4E, 0x47, 0, 0]);
        var e = Assert.Throws<InputDataException>(() => StandInGenerations.Make([new("p", "-", 1, 0)], f.Store, ImageCollection.FromFolder(heldFolder),
            Path.Combine(Fixtures.TempFolder(), "o"), seed: 1));
        Assert.Contains("held-out images can be decoded", e.Message);
    }
}
