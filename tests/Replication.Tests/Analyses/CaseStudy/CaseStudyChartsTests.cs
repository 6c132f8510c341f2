using System.Text.RegularExpressions;
using Replication.Analyses.CaseStudy;
using Replication.Embeddings;

namespace Replication.Tests.Analyses.CaseStudy;

public class CaseStudyChartsTests
{
    [Fact]
    public void TheGalleryShowsEachGenerationAboveTheThresholdWithItsSourceAndMatchFromTheShards()
    {
        var f = CaseStudyFixture.Create();
        var dir = Path.Combine(Fixtures.TempFolder(), "s");
        CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, dir, new CaseStudySettings(Similarity.InnerProduct, Threshold: 0.9, K: 2, BootstrapSamples: 100));
        var r = CaseStudyFiles.Load(dir);
        string html = CaseStudyCharts.GalleryHtml(r);
        Assert.Equal(2, Regex.Count(html, "<tr style"));
        Assert.Equal(6, Regex.Count(html, "src=\"data:image/jpeg")); // generation, source, match for both
        Assert.Contains("duplicated 3 times", html);
        Assert.Contains("(its own source)", html);
        foreach (var svg in new[] { CaseStudyCharts.Top1Svg(r), CaseStudyCharts.SourceSvg(r), CaseStudyCharts.DuplicatesSvg(r) })
            Assert.StartsWith("<svg", svg);
        Assert.Equal(3, CaseStudyCharts.SourceSpec(r).Series.Count);
        string reading = CaseStudyCharts.Reading(r);
        Assert.Contains("4 generations from training captions searched", reading);
        Assert.Contains("2/4 = 50%", reading);
        Assert.Contains("1 of 4 generations have their own source as top-1", reading);
        Assert.Contains("1 generations from prompts not drawn from the training set", reading);
        Assert.Equal(3, CaseStudyCharts.DuplicatesTable(r).Rows.Count);
    }

    [Fact]
    public void TheComplexityAnalysisMeasuresEachGenerationsMatchImageFromTheShards()
    {
        var f = CaseStudyFixture.Create();
        var dir = Path.Combine(Fixtures.TempFolder(), "s");
        CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, dir, new CaseStudySettings(Similarity.InnerProduct, Threshold: 0.9, K: 2, BootstrapSamples: 100));
        var r = CaseStudyFiles.Load(dir);
        var c = ComplexityStudy.Run(r);
        Assert.Equal(r.Scored.Count(), c.Rows.Count);
        Assert.Empty(c.Problems);
        using (var store = Replication.Embeddings.Store.EmbeddingStore.Open(r.Store))
            foreach (var row in c.Rows)
            {
                // the same measure as the match image's bytes read back by hand
                var bytes = Replication.Embeddings.Store.StoreImages.Fetch(store, [row.MatchRow])[row.MatchRow];
                var expected = Replication.Reporting.Metrics.ImageComplexity.Measure(Replication.Images.ImageDecoder.Decode(bytes, "x", alpha: Replication.Images.AlphaHandling.Drop));
                Assert.Equal(expected, row.Complexity);
            }
        Assert.Equal(4, c.Correlations.Count);
        Assert.All(c.Correlations, x => Assert.Equal(c.Rows.Count, x.N));
        Assert.Equal(4, CaseStudyCharts.ComplexityTable(c).Rows.Count);
        Assert.Contains("strongest relation", CaseStudyCharts.ComplexityReading(c));
        Assert.Contains("Complexity of the match images", CaseStudyReport.Html(r));
    }
}
