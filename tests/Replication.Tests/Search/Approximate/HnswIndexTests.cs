using Replication.Search.Approximate;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Search.Approximate;

public class HnswIndexTests
{
    /// <summary>Rows around <paramref name="clusters"/> random centres (unit Gaussian noise of scale <paramref name="spread"/>).</summary>
    internal static float[] Clustered(int rows, int dim, int clusters, float spread, int seed)
    {
        var rng = new Random(seed);
        var centres = new float[clusters * dim];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 2 - 1);
        var data = new float[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            int c = rng.Next(clusters);
            for (int d = 0; d < dim; d++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                data[r * dim + d] = centres[c * dim + d] + spread * (float)g;
            }
        }
        return data;
    }

    [Fact]
    public void RecallOnAClusteredSetIsHighAndIdsAgreeWithExactSearch()
    {
        const int dim = 64;
        var gallery = new InMemoryVectors(Clustered(4000, dim, 40, 0.3f, 1), dim, "gallery");
        var queries = new InMemoryVectors(Clustered(200, dim, 40, 0.3f, 2), dim, "queries");
        string folder = Fixtures.TempFolder();
        var info = HnswIndex.Build(gallery, folder);
        Assert.Equal(4000, info.Rows);
        Assert.True(File.Exists(Path.Combine(folder, HnswIndex.IndexFile)));
        using var index = HnswIndex.Open(folder, gallery);
        var result = ApproximateSearch.Run(queries, gallery, index, k: 5);
        Assert.Equal(200, result.Recall.QueriesMeasured);
        Assert.True(result.Recall.RecallAt1 >= 0.95, $"recall@1 {result.Recall.RecallAt1}");
        Assert.True(result.Recall.RecallAt10 >= 0.9, $"recall@10 {result.Recall.RecallAt10}");
        Assert.Equal(5, result.Matches.K);

        // every id is a gallery row whose exact cosine with the query is the score reported
        var exact = ExactSearch.Search(queries, gallery, Similarity.InnerProduct, 5);
        var q = new float[dim];
        var g = new float[dim];
        int sameTop = 0;
        for (int i = 0; i < 200; i++)
        {
            queries.ReadRows(i, 1, q);
            VectorMath.NormalizeRows(q, dim);
            for (int r = 0; r < 5; r++)
            {
                long id = result.Matches.IndicesOf(i)[r];
                Assert.InRange(id, 0, 3999);
                gallery.ReadRows(id, 1, g);
                VectorMath.NormalizeRows(g, dim);
                float dot = 0;
                for (int d = 0; d < dim; d++) dot += q[d] * g[d];
                Assert.Equal(dot, result.Matches.ScoresOf(i)[r], 4);
            }
            if (result.Matches.IndicesOf(i)[0] == exact.IndicesOf(i)[0]) sameTop++;
        }
        Assert.True(sameTop >= 190, $"{sameTop} of 200 best matches are exact search's");
    }

    [Fact]
    public void ASeededSampleOfQueriesMeasuresRecall()
    {
        const int dim = 32;
        var gallery = new InMemoryVectors(Clustered(1000, dim, 10, 0.3f, 3), dim);
        var queries = new InMemoryVectors(Clustered(100, dim, 10, 0.3f, 4), dim);
        string folder = Fixtures.TempFolder();
        HnswIndex.Build(gallery, folder);
        using var index = HnswIndex.Open(folder, gallery);
        var a = ApproximateSearch.Run(queries, gallery, index, k: 1, recallQueries: 30, seed: 5);
        var b = ApproximateSearch.Run(queries, gallery, index, k: 1, recallQueries: 30, seed: 5);
        Assert.Equal(100, a.Recall.Queries);
        Assert.Equal(30, a.Recall.QueriesMeasured);
        Assert.Equal(a.Recall.RecallAt10, b.Recall.RecallAt10);
        Assert.Equal(100, a.Matches.Queries);
    }

    [Fact]
    public void AnExcludedRowIsNeverMatchedAndRecallIsMeasuredWithoutIt()
    {
        const int dim = 32;
        var data = Clustered(1500, dim, 15, 0.3f, 12);
        var gallery = new InMemoryVectors(data, dim);
        var queries = new InMemoryVectors(data[..(100 * dim)], dim); // gallery rows 0..99: each would find itself first
        string folder = Fixtures.TempFolder();
        HnswIndex.Build(gallery, folder);
        using var index = HnswIndex.Open(folder, gallery);
        var exclude = Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? -1L : i).ToArray();
        var result = ApproximateSearch.Run(queries, gallery, index, k: 3, exclude: exclude);
        for (int q = 0; q < 100; q++)
        {
            Assert.DoesNotContain(exclude[q], result.Matches.IndicesOf(q).ToArray());
            if (exclude[q] < 0) Assert.Equal(q, result.Matches.IndicesOf(q)[0]);
        }
        Assert.True(result.Recall.RecallAt1 >= 0.95, $"recall@1 {result.Recall.RecallAt1}");
        var exact = ExactSearch.SelfSimilarity(new InMemoryVectors(data, dim), Similarity.InnerProduct, 1);
        int same = Enumerable.Range(0, 100).Count(q => exclude[q] < 0 || result.Matches.IndicesOf(q)[0] == exact.IndicesOf(q)[0]);
        Assert.True(same >= 95, $"{same} of 100 best matches are exact search's without the query's own row");
    }

    [Fact]
    public void AStaleIndexIsRefused()
    {
        const int dim = 16;
        var data = Clustered(300, dim, 5, 0.3f, 6);
        string folder = Fixtures.TempFolder();
        HnswIndex.Build(new InMemoryVectors(data, dim), folder);
        using (HnswIndex.Open(folder, new InMemoryVectors(data, dim))) { } // the same vectors: accepted

        var changed = (float[])data.Clone();
        changed[123] += 0.5f;
        var e = Assert.Throws<InputDataException>(() => HnswIndex.Open(folder, new InMemoryVectors(changed, dim)));
        Assert.Contains("stale", e.Message);
        var fewer = Assert.Throws<InputDataException>(() => HnswIndex.Open(folder, new InMemoryVectors(data[..(299 * dim)], dim)));
        Assert.Contains("stale", fewer.Message);
    }

    [Fact]
    public void ADamagedIndexFileIsRefusedBeforeTheNativeLoaderSeesIt()
    {
        // 40 bytes changed in the graph used to crash USearch (a segmentation fault, no message) in 5 of 8 trials
        const int dim = 16;
        var data = Clustered(300, dim, 5, 0.3f, 6);
        string folder = Fixtures.TempFolder();
        HnswIndex.Build(new InMemoryVectors(data, dim), folder);
        string file = Path.Combine(folder, HnswIndex.IndexFile);
        var bytes = File.ReadAllBytes(file);
        for (int i = 0; i < 40; i++) bytes[bytes.Length / 2 + i] ^= 0x5A;
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<InputDataException>(() => HnswIndex.Open(folder, new InMemoryVectors(data, dim)));
        Assert.Contains("damaged", e.Message);
        Assert.Contains("index build", e.Message);
    }

    [Fact]
    public void AnUnfinishedBuildIsNoIndex()
    {
        string folder = Fixtures.TempFolder();
        var data = Clustered(50, 8, 2, 0.3f, 7);
        HnswIndex.Build(new InMemoryVectors(data, 8), folder);
        File.Delete(Path.Combine(folder, HnswIndex.InfoFile)); // as a build killed before its last file
        Assert.Throws<InputMissingException>(() => HnswIndex.Open(folder, new InMemoryVectors(data, 8)));
    }

    [Fact]
    public void OnlyCosineIsAccepted()
    {
        HnswIndex.CheckSimilarity(Similarity.InnerProduct);
        var e = Assert.ThrowsAny<UsageException>(() => HnswIndex.CheckSimilarity(Similarity.SplitProduct(4)));
        Assert.Contains("only ip", e.Message);
        Assert.ThrowsAny<UsageException>(() => HnswIndex.CheckSimilarity(Similarity.TiledL2(4)));
    }

    [Fact]
    public void NonFiniteRowsAreNeverMatchedAndNonFiniteQueriesGetNothing()
    {
        const int dim = 8;
        var data = Clustered(100, dim, 3, 0.3f, 8);
        data[5 * dim] = float.NaN;
        var gallery = new InMemoryVectors(data, dim);
        string folder = Fixtures.TempFolder();
        HnswIndex.Build(gallery, folder);
        using var index = HnswIndex.Open(folder, gallery);
        var q = data[..(10 * dim)]; // row 5 is the NaN one
        var result = index.Search(new InMemoryVectors(q, dim), 3);
        Assert.DoesNotContain(5L, result.Indices);
        Assert.Equal([5L], result.NonFiniteQueries);
        Assert.Equal(-1, result.IndicesOf(5)[0]);
        Assert.Equal(0, result.IndicesOf(0)[0]); // a row finds itself
    }
}
