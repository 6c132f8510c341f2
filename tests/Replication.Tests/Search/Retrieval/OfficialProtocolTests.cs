using System.Text.Json.Nodes;
using Replication.Reporting.Metrics;
using Replication.Search.Retrieval;
using Replication.Embeddings;
using Replication.Search;
using Replication.Core.Formats;

namespace Replication.Tests.Search.Retrieval;

/// <summary>Pins the metrics against fixtures/official/make_official.py, a transcription of the official code
/// (DCR utils_ret.compute_map, diff_retrieval.py's similarity, statistics and histogram).</summary>
public class OfficialProtocolTests
{
    private static readonly JsonNode Json = JsonNode.Parse(File.ReadAllText(Fixtures.Path("official", "official.json")))!;

    private static List<QueryGroundTruth> Truth() => Json["gnd"]!.AsArray().Select(g => new QueryGroundTruth((int)g!["query"]!,
        g["ok"]!.AsArray().Select(x => (long)x!).ToArray(), g["junk"]!.AsArray().Select(x => (long)x!).ToArray())).ToList();

    private static void AssertOfficial(RetrievalScores s, string name)
    {
        var e = Json["metrics"]![name]!;
        Assert.False(s.IsLowerBound);
        Assert.Equal((double)e["map"]!, s.MeanAveragePrecision, 6);
        Assert.Equal((double)e["dcr_mrr"]!, s.DcrMeanReciprocalRank, 6);
        foreach (var k in new[] { 1, 5, 10 })
        {
            Assert.Equal((double)e["revisitop_precision_at"]![k.ToString()]!, s.RevisitopPrecisionAt[k], 6);
            Assert.Equal((double)e["recall_at"]![k.ToString()]!, s.RecallAt[k], 6);
        }
    }

    [Theory]
    [InlineData("ip")]
    [InlineData("split4")]
    public void FullRankingMetricsMatchTheOfficialComputeMap(string metric)
    {
        var similarity = metric == "ip" ? Similarity.InnerProduct : Similarity.SplitProduct(4);
        using var q = NpyMatrix.Open(Fixtures.Path("official", "queries.npy"));
        using var g = NpyMatrix.Open(Fixtures.Path("official", "gallery.npy"));
        var truth = Truth();
        var ranking = FullRanking.Rank(q, g, similarity, truth);
        var top = ExactSearch.Search(q, g, similarity, 10);
        AssertOfficial(RetrievalMetrics.Evaluate(ranking, truth, MatchesFile.FromSearch(top), [1, 5, 10]), metric);

        // a search CSV that ranks the whole gallery gives the same numbers; a truncated one is flagged as a lower bound
        var whole = ExactSearch.Search(q, g, similarity, (int)g.Rows);
        AssertOfficial(RetrievalMetrics.Evaluate(MatchesFile.FromSearch(whole), truth, [1, 5, 10]), metric);
        var cut = RetrievalMetrics.Evaluate(MatchesFile.FromSearch(top), truth, [1, 5, 10]);
        Assert.True(cut.IsLowerBound);
        Assert.True(cut.MeanAveragePrecision <= (double)Json["metrics"]![metric]!["map"]! + 1e-9);
    }

    [Theory]
    [InlineData("ip")]
    [InlineData("split4")]
    public void SearchScoresAndRowsEqualTheOfficialSimilarityMatrix(string metric)
    {
        // fixtures/official/make_official.py: normalize, then values @ queries.T (ip) or the einsum over chunks with max (split4), in NumPy
        var similarity = metric == "ip" ? Similarity.InnerProduct : Similarity.SplitProduct(4);
        using var q = NpyMatrix.Open(Fixtures.Path("official", "queries.npy"));
        using var g = NpyMatrix.Open(Fixtures.Path("official", "gallery.npy"));
        var top = ExactSearch.Search(q, g, similarity, 5);
        var expected = Json["top5"]![metric]!;
        for (int i = 0; i < top.Queries; i++)
        {
            var scores = expected["scores"]![i]!.AsArray().Select(v => (double)v!).ToArray();
            var rows = expected["rows"]![i]!.AsArray().Select(v => (long)v!).ToArray();
            for (int k = 0; k < 5; k++)
            {
                Assert.Equal(scores[k], top.ScoresOf(i)[k], 5e-7);
                // rows agree except between scores tied to float32 rounding, which either order may break
                if (k + 1 < 5 && Math.Abs(scores[k] - scores[k + 1]) > 1e-6 && (k == 0 || Math.Abs(scores[k - 1] - scores[k]) > 1e-6))
                    Assert.Equal(rows[k], top.IndicesOf(i)[k]);
            }
        }
    }

    [Fact]
    public void TiesRankTheLowerGalleryIndexFirst()
    {
        // rows 3, 7, 41 are identical: every query scores them equally
        using var q = NpyMatrix.Open(Fixtures.Path("official", "queries.npy"));
        using var g = NpyMatrix.Open(Fixtures.Path("official", "gallery.npy"));
        var r = FullRanking.Rank(q, g, Similarity.InnerProduct, [new QueryGroundTruth(1, [3, 7, 41], [])])[1];
        Assert.True(r.Positives[1] == r.Positives[0] + 1 && r.Positives[2] == r.Positives[0] + 2, string.Join(",", r.Positives));
    }

    [Fact]
    public void PositionsCountStrictlyHigherScoresAndEarlierTies()
    {
        float[] row = [0.5f, 0.9f, 0.5f, float.NaN, 0.7f, 0.5f];
        var r = FullRanking.Positions(row, new QueryGroundTruth(0, [2, 3], [5]));
        Assert.Equal([3L, 5L], r.Positives);   // 2: after 1, 4 and the tie 0; NaN last
        Assert.Equal([4L], r.Junk);             // 5: after 1, 4, 0, 2
    }

    [Fact]
    public void StatisticsAndHistogramsMatchTheOfficialCode()
    {
        var s = Json["statistics"]!;
        var edges = HistogramBins.Official();
        Assert.Equal(s["edges"]!.AsArray().Select(x => (double)x!).ToArray(), edges);
        foreach (var name in new[] { "x0", "x1" })
        {
            var e = s[name]!;
            var x = e["values"]!.AsArray().Select(v => (float)(double)v!).ToArray();
            var summary = ReplicationStatistics.Summarize(x, 0.5);
            Assert.Equal((double)e["mean"]!, summary.Mean, 6);
            Assert.Equal((double)e["std"]!, summary.Std, 6);
            Assert.Equal((double)e["p75"]!, summary.P75, 6);
            Assert.Equal((double)e["p90"]!, summary.P90, 6);
            Assert.Equal((double)e["p95"]!, summary.P95, 6);
            Assert.Equal((double)e["fraction_above_0.5"]!, summary.FractionAbove, 12);
            var h = ReplicationStatistics.DensityHistogram(x, edges);
            var expected = e["density"]!.AsArray().Select(v => (double)v!).ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], h.Values[i], 6);
        }
    }

    [Fact]
    public void SelfSimilarityByIndexEqualsTheOfficialSecondBestForInnerProduct()
    {
        using var g = NpyMatrix.Open(Fixtures.Path("official", "gallery.npy"));
        var self = ExactSearch.SelfSimilarity(g, Similarity.InnerProduct, 1).TopScores();
        var expected = Json["self_similarity_second_best"]!.AsArray().Select(v => (double)v!).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], self[i], 5);
    }
}
