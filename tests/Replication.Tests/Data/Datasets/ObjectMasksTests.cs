using Replication.Data.Datasets;

namespace Replication.Tests.Data.Datasets;

public class ObjectMasksTests
{
    [Fact]
    public void VocObjectsComeFromTheColourMappedIndexPngs()
    {
        var objects = VocObjectMasks.Load(Fixtures.Path("datasets", "VOCdevkit"));
        Assert.Equal(6, objects.Count); // two objects in each of three images
        var first = objects[0].LoadMask();
        Assert.Equal(32, first.Width);
        Assert.Equal(10 * 16, first.Inside.Count(b => b)); // rows 4..13, columns 4..19; the void border is not the object
        Assert.True(first.Inside[5 * 32 + 5]);
        Assert.False(first.Inside[3 * 32 + 5]);
        Assert.Equal("person", objects[0].Label);
        Assert.Equal("dog", objects[1].Label);
        Assert.Equal(0, VocObjectMasks.Colour(0).R);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(128, 0, 0), VocObjectMasks.Colour(1));
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(224, 224, 192), VocObjectMasks.Colour(255));
    }

    [Fact]
    public void CocoPolygonsAreRasterisedAndCrowdsSkipped()
    {
        var objects = CocoObjectMasks.Load(Fixtures.Path("datasets", "coco"));
        Assert.Equal(3, objects.Count);
        var rect = objects[0].LoadMask();
        Assert.Equal(8 * 6, rect.Inside.Count(b => b)); // x 2..9, y 2..7 (pixel centres inside the 2..10 × 2..8 box)
        Assert.Equal("dog", objects[0].Label);
        var triangle = objects[1].LoadMask();
        Assert.True(triangle.Inside[9 * 16 + 9]);
        Assert.False(triangle.Inside[15 * 16 + 15]);
    }

    [Fact]
    public void SegmixFromVocMasksMakesEachAnnotatedImageAQueryWithItsCopies()
    {
        var objects = VocObjectMasks.Load(Fixtures.Path("datasets", "VOCdevkit"));
        var d = SyntheticCopyGenerator.GenerateSegmix(objects, Path.Combine(Fixtures.TempFolder(), "voc-segmix"), 2, seed: 2, maskSource: "voc");
        Assert.Equal(2, d.Queries.Count); // one of the three images serves as background
        Assert.Equal(8, d.Gallery.Count);
        Assert.Equal(new long[] { 4, 5, 6, 7 }, d.GroundTruth[1].Ok);
    }

    [Fact]
    public void MissingLayoutsAreClearErrors()
    {
        var dir = Fixtures.TempFolder();
        Assert.Contains("val.txt", Assert.Throws<InputMissingException>(() => VocObjectMasks.Load(dir)).Message);
        Assert.Contains("instances_val2017.json", Assert.Throws<InputMissingException>(() => CocoObjectMasks.Load(dir)).Message);
    }

    [Fact]
    public void BenchmarkFigureBuildsSegmixSetsFromAnnotations()
    {
        var p = new Replication.Figures.ExtractorBenchmarkFigure.Parameters
        {
            Models = "tiled-l2",
            SyntheticSets = "",
            SegmentationMasks = $"coco:{Fixtures.Path("datasets", "coco")}",
            QueriesPerSet = 4,
            WorkFolder = Fixtures.TempFolder(),
        };
        var table = Replication.Figures.ExtractorBenchmarkFigure.Run(p.Validate());
        Assert.Equal(["segmix-coco"], table.Datasets);
        Assert.True(table.Cells.Single().Succeeded, table.Cells.Single().Error);
        Assert.Contains("SegmentationMasks", Assert.Throws<Replication.Figures.FigureParameterException>(() =>
            (p with { SegmentationMasks = "ade20k:/x" }).Validate()).Message);
    }
}
