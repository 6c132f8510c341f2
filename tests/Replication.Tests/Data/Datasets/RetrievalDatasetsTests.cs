using Replication.Data.Datasets;
using Replication.Embeddings;

namespace Replication.Tests.Data.Datasets;

/// <summary>Loaders against tiny fixtures written in each dataset's published layout (fixtures/datasets/make_datasets.py).</summary>
public class RetrievalDatasetsTests
{
    private static string Root(params string[] parts) => Fixtures.Path(["datasets", .. parts]);

    [Theory]
    [InlineData(RevisitopProtocol.Easy, new long[] { 0 }, new long[] { 3, 1 })]
    [InlineData(RevisitopProtocol.Medium, new long[] { 0, 1 }, new long[] { 3 })]
    [InlineData(RevisitopProtocol.Hard, new long[] { 1 }, new long[] { 3, 0 })]
    public void RevisitedOxfordReadsThePickledGroundTruthWithNumpyArrays(RevisitopProtocol protocol, long[] ok, long[] junk)
    {
        var d = RevisitedOxfordParis.Load(Root("revisited"), "roxford5k", protocol);
        Assert.Equal(4, d.Gallery.Count);
        Assert.Equal(2, d.Queries.Count);
        Assert.Equal(ok, d.GroundTruth[0].Ok);
        Assert.Equal(junk, d.GroundTruth[0].Junk);
        Assert.Equal("all_souls_1", d.Gallery[0].Id);
        // query boxes are rounded and applied when the query is embedded
        Assert.Equal(new Replication.Images.CropBox(1, 2, 12, 15), d.Queries[0].Crop);
    }

    [Fact]
    public void RevisitedParisReadsPlainListsFromAProtocol2Pickle()
    {
        var d = RevisitedOxfordParis.Load(Root("revisited", "rparis6k"), "rparis6k");
        Assert.Equal([0L], d.GroundTruth[0].Ok);
        Assert.Equal([1L], d.GroundTruth[0].Junk);
        Assert.Equal("rparis6k-medium", d.Name);
    }

    [Fact]
    public void CubUsesClasses101To200AndMakesTheQueryJunk()
    {
        var d = Cub200.Load(Root());
        Assert.Equal(3, d.Gallery.Count); // class 1 (first half) is left out
        Assert.Equal(d.Gallery, d.Queries);
        Assert.Equal([1L], d.GroundTruth[0].Ok);   // the other pelican
        Assert.Equal([0L], d.GroundTruth[0].Junk); // itself
        Assert.Empty(d.GroundTruth[2].Ok);          // the only pewee has no other image
    }

    [Fact]
    public void Gpr1200CountsTheQueryItselfAsTheAuthorsDo()
    {
        var d = Gpr1200.Load(Root("GPR1200"));
        Assert.Equal(5, d.Gallery.Count);
        Assert.Equal([0L, 1L], d.GroundTruth[0].Ok);
        Assert.Equal([2L, 3L, 4L], d.GroundTruth[3].Ok);
        Assert.All(d.GroundTruth, t => Assert.Empty(t.Junk));
    }

    [Fact]
    public void InstreGroupsByObjectFolder()
    {
        var d = Instre.Load(Root("INSTRE"));
        Assert.Equal(5, d.Gallery.Count);
        Assert.Equal("INSTRE-S1/01a_toy/001.jpg", d.Gallery[0].Id); // subsets in the order S1, S2, M
        Assert.Equal([1L], d.GroundTruth[0].Ok);
        Assert.Equal([0L], d.GroundTruth[0].Junk);
        Assert.Equal([2L, 4L], d.GroundTruth[3].Ok);
    }

    [Fact]
    public void CroppedQueriesEmbedTheirBoxOnly()
    {
        var d = RevisitedOxfordParis.Load(Root("revisited"), "roxford5k");
        using var ex = FeatureExtractor.Open("pixels");
        var set = EmbeddingPipeline.Run(d.Queries, ex, 2);
        Assert.Equal(2, set.Count);
        Assert.Empty(set.Skipped);
    }

    [Fact]
    public void WrongFilesAreClearErrors()
    {
        var dir = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(dir, "roxford5k"));
        File.WriteAllText(Path.Combine(dir, "roxford5k", "gnd_roxford5k.pkl"), "{\"not\": \"a pickle\"}");
        var e = Assert.Throws<InputDataException>(() => RevisitedOxfordParis.Load(dir, "roxford5k"));
        Assert.Contains("gnd_roxford5k.pkl", e.Message);
        Assert.Contains("gnd_rparis6k.pkl", Assert.Throws<InputMissingException>(() => RevisitedOxfordParis.Load(dir, "rparis6k")).Message);
        Assert.Contains("images.txt", Assert.Throws<InputMissingException>(() => Cub200.Load(dir)).Message);
        File.WriteAllText(Path.Combine(dir, "bad.jpg"), "x");
        Assert.Contains("category", Assert.Throws<InputDataException>(() => Gpr1200.Load(dir)).Message);
        Assert.Throws<InputMissingException>(() => Instre.Load(dir));
    }

    [Fact]
    public void SpecsParseKindAndPath()
    {
        Assert.Equal(("roxford5k", "/data/rox"), RetrievalDatasets.ParseSpec("roxford5k:/data/rox"));
        Assert.Equal(("folder", "/data/mine"), RetrievalDatasets.ParseSpec("/data/mine"));
    }
}
