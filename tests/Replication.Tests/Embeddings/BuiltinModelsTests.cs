using Replication.Embeddings;
using Replication.Images;

namespace Replication.Tests.Embeddings;

public class BuiltinModelsTests
{
    private static (FeatureExtractor Extractor, float[] Rows, RgbImage[] Crops) EmbedFixtures(string model)
    {
        var ex = FeatureExtractor.Open(model);
        var images = new[] { "chelsea.png", "camera.png" }.Select(f => ImageDecoder.Decode(Fixtures.Path("preprocessing", f))).ToArray();
        int len = ex.Preprocessor.TensorLength;
        var tensor = new float[images.Length * len];
        for (int i = 0; i < images.Length; i++) ex.Preprocessor.Apply(images[i], tensor.AsSpan(i * len, len));
        return (ex, ex.Embed(tensor, images.Length), images.Select(ex.Preprocessor.ResizeAndCrop).ToArray());
    }

    [Fact]
    public void ResNet18TokensAreTheSpatialMapWhoseMeanIsThePooledVector()
    {
        var (tokens, rows, _) = EmbedFixtures("resnet18-tokens");
        using var _t = tokens;
        var (pooled, vectors, _) = EmbedFixtures("resnet18");
        using var _p = pooled;
        Assert.Equal(49, tokens.Chunks);
        Assert.Equal(49 * 512, tokens.RowLength);
        Assert.Equal(Similarity.SplitProduct(49), tokens.Card.DefaultSimilarity(tokens.Chunks));
        // global average pooling of the 7×7 map is the 512-d vector of the plain model
        for (int image = 0; image < 2; image++)
            for (int c = 0; c < 512; c += 37)
            {
                double mean = Enumerable.Range(0, 49).Average(t => rows[image * 49 * 512 + t * 512 + c]);
                Assert.Equal(vectors[image * 512 + c], mean, 3);
            }
    }

    [Fact]
    public void PixelsAreMeanCentredGrayscaleThumbnails()
    {
        var (ex, rows, crops) = EmbedFixtures("pixels");
        using var _ = ex;
        Assert.Equal(1024, ex.RowLength);
        for (int image = 0; image < 2; image++)
        {
            var row = rows.AsSpan(image * 1024, 1024);
            Assert.True(Math.Abs(row.ToArray().Average()) < 1e-5);
            // pixel (0,0) of the 32×32 thumbnail is the luma mean of the crop's top-left 2×2 block, minus the image mean
            var c = crops[image];
            double Luma(int x, int y) => (0.299 * c.Pixels[(y * 64 + x) * 3] + 0.587 * c.Pixels[(y * 64 + x) * 3 + 1] + 0.114 * c.Pixels[(y * 64 + x) * 3 + 2]) / 255;
            double block = (Luma(0, 0) + Luma(1, 0) + Luma(0, 1) + Luma(1, 1)) / 4;
            double all = Enumerable.Range(0, 64 * 64).Average(i => Luma(i % 64, i / 64));
            Assert.Equal(block - all, row[0], 4);
        }
    }

    [Fact]
    public void TiledL2TokensAreRawPixelTiles()
    {
        var (ex, rows, crops) = EmbedFixtures("tiled-l2");
        using var _ = ex;
        Assert.Equal(16, ex.Chunks);
        Assert.Equal(Similarity.TiledL2(16), ex.Card.DefaultSimilarity(ex.Chunks));
        // tile 5 is grid row 1, column 1: pixels (16..31, 16..31); its layout is channel, row, column
        var c = crops[0];
        int tile = 5;
        float Expected(int channel, int y, int x) => c.Pixels[((16 + y) * 64 + 16 + x) * 3 + channel] / 255f;
        var t = rows.AsSpan(tile * 768, 768);
        Assert.Equal(Expected(0, 0, 0), t[0], 5);
        Assert.Equal(Expected(2, 15, 15), t[767], 5);
        Assert.Equal(Expected(1, 3, 7), t[256 + 3 * 16 + 7], 5);
    }
}
