using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Search;

public class PairScoreTests
{
    [Theory]
    [InlineData("ip", 1)]
    [InlineData("split", 4)]
    [InlineData("split-cos", 4)]
    [InlineData("tiled-l2", 4)]
    public void APairScoresAsTheExactSearchScoresIt(string name, int chunks)
    {
        var similarity = Similarity.Parse(name, chunks);
        var random = new Random(3);
        const int dim = 16, n = 9;
        var data = Enumerable.Range(0, n * dim).Select(_ => (float)random.NextDouble()).ToArray();
        var gallery = new InMemoryVectors(data, dim);
        var all = ExactSearch.Search(gallery, gallery, similarity, n);
        for (int q = 0; q < n; q++)
            for (int r = 0; r < n; r++)
            {
                long g = all.Indices[q * n + r];
                float pair = PairScore.Score(similarity, data.AsSpan(q * dim, dim), data.AsSpan((int)g * dim, dim));
                Assert.Equal(all.Scores[q * n + r], pair, 5);
            }
        Assert.Equal(similarity, Similarity.FromName(similarity.ToString()));
    }
}
