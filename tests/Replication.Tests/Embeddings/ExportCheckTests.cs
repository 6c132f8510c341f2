using Replication.Embeddings;

namespace Replication.Tests.Embeddings;

/// <summary>
/// A tiny ViT exported by models/export_models.py (random weights, PyTorch 1.13): the C# path (PIL-exact bicubic
/// preprocessing from the card, ONNX Runtime, token output) must reproduce PyTorch's outputs.
/// </summary>
public class ExportCheckTests
{
    private static string Card => Fixtures.Path("models", "tiny-vit.json");

    [Fact]
    public void ExportedTokenModelMatchesPyTorch()
    {
        var results = ExportCheck.Verify(Card);
        Assert.Equal(3, results.Count);
        foreach (var r in results)
        {
            Assert.True(r.MaxReferenceMagnitude > 0.1, "reference outputs should not be trivial");
            Assert.True(r.MaxAbsDifference < 1e-4, $"{r.Image}: max |ONNX Runtime − PyTorch| = {r.MaxAbsDifference}");
        }
    }

    [Fact]
    public void TokenOutputsDriveSplitProductWithOneChunkPerToken()
    {
        using var ex = FeatureExtractor.Open(Card);
        var e = ex.Embed(new float[2 * ex.Preprocessor.TensorLength], 2);
        Assert.Equal(5, ex.Chunks); // CLS + 2×2 patches
        Assert.Equal(5 * 16, ex.RowLength);
        Assert.Equal(2 * 80, e.Length);
        Assert.Equal(Similarity.SplitProduct(5), ex.Card.DefaultSimilarity(ex.Chunks));
    }
}
