using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Search;

public class ExactSearchTests
{
    private static float[] RandomMatrix(int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        var data = new float[rows * dim];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    private static void AssertSameAsReference(SearchResult expected, SearchResult actual)
    {
        Assert.Equal(expected.Queries, actual.Queries);
        Assert.Equal(expected.K, actual.K);
        for (int i = 0; i < expected.Scores.Length; i++)
        {
            Assert.True(Math.Abs(expected.Scores[i] - actual.Scores[i]) <= 1e-5f, $"score {i}: {expected.Scores[i]} vs {actual.Scores[i]}");
            if (expected.Indices[i] != actual.Indices[i])
            {
                // Only an exact (within float rounding) tie may swap the order.
                Assert.True(Math.Abs(expected.Scores[i] - actual.Scores[i]) <= 1e-5f);
                int q = i / expected.K;
                Assert.Contains(actual.Indices[i], expected.IndicesOf(q).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(37, 1000, 64, 10, 1)]
    [InlineData(5, 20000, 32, 7, 1)]   // more than one gallery block
    [InlineData(11, 5000, 96, 5, 4)]   // split-product, several gallery blocks
    [InlineData(3, 50, 49 * 8, 4, 49)] // token-style split: 49 chunks
    [InlineData(200, 3000, 64, 5, 4)]  // queries ≥ dimension: the query-major chunk layout (the others are gallery-major)
    public void MatchesScalarReference(int nq, int ng, int dim, int k, int chunks)
    {
        var q = RandomMatrix(nq, dim, 1);
        var g = RandomMatrix(ng, dim, 2);
        var sim = chunks == 1 ? Similarity.InnerProduct : Similarity.SplitProduct(chunks);
        var expected = ReferenceSearch.Search(q, g, dim, sim, k);
        var actual = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), sim, k);
        AssertSameAsReference(expected, actual);
    }

    [Theory]
    [InlineData(9, 700, 64, 5, 4)]
    [InlineData(3, 50, 49 * 8, 4, 49)]
    public void SplitCosineMatchesScalarReferenceAndScoresAnExactCopyOne(int nq, int ng, int dim, int k, int chunks)
    {
        var q = RandomMatrix(nq, dim, 3);
        var g = RandomMatrix(ng, dim, 4);
        Array.Copy(q, 0, g, 17 * dim, dim); // gallery row 17 is query 0
        var sim = Similarity.SplitCosine(chunks);
        var expected = ReferenceSearch.Search(q, g, dim, sim, k);
        var actual = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), sim, k);
        AssertSameAsReference(expected, actual);
        Assert.Equal(17, actual.IndicesOf(0)[0]);
        Assert.Equal(1f, actual.ScoresOf(0)[0], 5);
        // the official split-product scores the same copy at the largest chunk's share of the squared norm
        var official = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), Similarity.SplitProduct(chunks), 1);
        Assert.True(official.ScoresOf(0)[0] < 1f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ASmallMemoryBudgetGivesManySmallBlocksAndTheSameResult(int chunks)
    {
        int nq = 40, ng = 3000, dim = 4096;
        var sim = chunks == 1 ? Similarity.InnerProduct : Similarity.SplitProduct(chunks);
        var (tile, block) = SearchMemory.TileSizes(nq, ng, dim, sim, SearchMemory.MinimumBudgetBytes);
        Assert.True(block < ng && tile <= nq, $"tile {tile}, block {block}");
        Assert.True(SearchMemory.EstimateBytes(tile, block, dim, sim) <= SearchMemory.MinimumBudgetBytes);
        var q = RandomMatrix(nq, dim, 5);
        var g = RandomMatrix(ng, dim, 6);
        var small = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), sim, 5, memoryBudgetBytes: SearchMemory.MinimumBudgetBytes);
        AssertSameAsReference(ReferenceSearch.Search(q, g, dim, sim, 5), small);
    }

    [Fact]
    public void AFirstBlockOfOnlyNonFiniteRowsDoesNotLeaveTheQueriesUnlaidOut()
    {
        // 64 MiB and 4,096 floats a row: blocks of 512 rows; the whole first block is NaN and is skipped
        int nq = 10, ng = 1500, dim = 4096;
        var q = RandomMatrix(nq, dim, 7);
        var g = RandomMatrix(ng, dim, 8);
        Array.Fill(g, float.NaN, 0, 512 * dim);
        Array.Copy(q, 0, g, 700 * dim, dim);
        var r = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), Similarity.SplitCosine(4), 3,
            memoryBudgetBytes: SearchMemory.MinimumBudgetBytes);
        Assert.Equal(700, r.IndicesOf(0)[0]);
        Assert.Equal(1f, r.ScoresOf(0)[0], 5);
        Assert.Equal(512, r.NonFiniteGallery.Count);
    }

    [Fact]
    public void BlocksAreSizedByBytesForLongTokenRows()
    {
        // DINO ViT-B/16 tokens: 197 × 768 floats a row; 4 GiB keeps the rows and scores within budget
        var sim = Similarity.SplitProduct(197);
        var (tile, block) = SearchMemory.TileSizes(256, 100_000, 197 * 768, sim, SearchMemory.DefaultBudgetBytes);
        Assert.True(SearchMemory.EstimateBytes(tile, block, 197 * 768, sim) <= SearchMemory.DefaultBudgetBytes);
        Assert.True(block >= 256, $"block {block}");
    }

    [Theory]
    [InlineData(7, 300, 48, 5, 16)]
    [InlineData(3, 5000, 12, 3, 4)]
    [InlineData(60, 400, 32, 5, 8)]    // query-major layout
    public void TiledL2MatchesScalarReference(int nq, int ng, int dim, int k, int tiles)
    {
        var rng = new Random(9);
        var q = Enumerable.Range(0, nq * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        var g = Enumerable.Range(0, ng * dim).Select(_ => (float)rng.NextDouble()).ToArray();
        var expected = ReferenceSearch.Search(q, g, dim, Similarity.TiledL2(tiles), k);
        var actual = ExactSearch.Search(new InMemoryVectors(q, dim), new InMemoryVectors(g, dim), Similarity.TiledL2(tiles), k);
        AssertSameAsReference(expected, actual);
    }

    [Fact]
    public void TiledL2IsOneMinusTheWorstTileRms()
    {
        // two tiles of two pixels: tile 0 identical, tile 1 differs by 0.5 in both pixels → RMS 0.5 → score 0.5
        float[] q = [0.2f, 0.4f, 1f, 1f];
        float[] g = [0.2f, 0.4f, 0.5f, 0.5f, 0.2f, 0.4f, 1f, 1f];
        var r = ExactSearch.Search(new InMemoryVectors(q, 4), new InMemoryVectors(g, 4), Similarity.TiledL2(2), 2);
        Assert.Equal([1L, 0L], r.Indices);
        Assert.Equal(1f, r.Scores[0], 5);
        Assert.Equal(0.5f, r.Scores[1], 5);
    }

    [Fact]
    public void SplitProductIsMaxOverChunkDotProducts()
    {
        // Whole-vector normalisation first: q = (1,0,0,0) and g = (0,0,3,4)/5 share nothing in chunk 0 and
        // chunk 1 holds (0,0)·(0.6,0.8) = 0; g2 = (1,1,1,1)/2 gives chunk 0 dot 0.5.
        float[] q = [1, 0, 0, 0];
        float[] g = [0, 0, 3, 4, 1, 1, 1, 1];
        var r = ExactSearch.Search(new InMemoryVectors(q, 4), new InMemoryVectors(g, 4), Similarity.SplitProduct(2), 2);
        Assert.Equal(1, r.Indices[0]);
        Assert.Equal(0.5f, r.Scores[0], 6);
        Assert.Equal(0f, r.Scores[1], 6);
    }

    [Fact]
    public void SelfSimilarityExcludesOwnIndexButKeepsDuplicates()
    {
        // rows 0 and 2 are identical: each must find the other with score 1, never itself.
        float[] g = [1, 0, 0, 0.6f, 0.8f, 0, 1, 0, 0, 0, 0, 1];
        var r = ExactSearch.SelfSimilarity(new InMemoryVectors(g, 3), Similarity.InnerProduct, 2);
        Assert.Equal(2, r.IndicesOf(0)[0]);
        Assert.Equal(1f, r.ScoresOf(0)[0], 6);
        Assert.Equal(0, r.IndicesOf(2)[0]);
        Assert.Equal(0.6f, r.ScoresOf(1)[0], 6);
        for (int i = 0; i < 4; i++)
            Assert.DoesNotContain((long)i, r.IndicesOf(i).ToArray());
        var expected = ReferenceSearch.Search(g, g, 3, Similarity.InnerProduct, 2, excludeSelf: true);
        AssertSameAsReference(expected, r);
    }

    [Fact]
    public void SelfSimilarityMatchesReferenceOnRandomData()
    {
        var g = RandomMatrix(300, 24, 5);
        var expected = ReferenceSearch.Search(g, g, 24, Similarity.SplitProduct(3), 3, excludeSelf: true);
        var actual = ExactSearch.SelfSimilarity(new InMemoryVectors(g, 24), Similarity.SplitProduct(3), 3);
        AssertSameAsReference(expected, actual);
    }

    [Fact]
    public void KLargerThanGalleryPadsWithMinusOne()
    {
        var r = ExactSearch.Search(new InMemoryVectors([1, 0], 2), new InMemoryVectors([1, 0, 0, 1], 2), Similarity.InnerProduct, 4);
        Assert.Equal([0L, 1L, -1L, -1L], r.Indices);
        Assert.True(float.IsNaN(r.Scores[3]));
    }

    [Fact]
    public void MismatchedDimensionsAreAClearError()
    {
        var e = Assert.Throws<InputDataException>(() =>
            ExactSearch.Search(new InMemoryVectors(new float[4], 4, "q.npy"), new InMemoryVectors(new float[6], 3, "g.npy"), Similarity.InnerProduct, 1));
        Assert.Contains("q.npy", e.Message);
        Assert.Contains("g.npy", e.Message);
    }

    [Fact]
    public void SplitWithIndivisibleDimensionIsRejected()
    {
        Assert.ThrowsAny<UsageException>(() =>
            ExactSearch.Search(new InMemoryVectors(new float[10], 10), new InMemoryVectors(new float[10], 10), Similarity.SplitProduct(3), 1));
    }

    [Fact]
    public void AccumulatorRanksEqualScoresByLowerIndexWhateverTheOfferOrder()
    {
        var acc = new TopKAccumulator(1, 3);
        acc.Offer(0, 0.5f, 9);
        acc.Offer(0, 0.9f, 4);
        acc.Offer(0, 0.9f, 2);
        acc.Offer(0, 0.5f, 1);
        acc.Offer(0, 0.1f, 0);
        var r = acc.ToResult();
        Assert.Equal([2L, 4L, 1L], r.Indices);
    }
}
