using Replication.Analyses.CaseStudy;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;
using Replication.Embeddings.Store;
using Replication.Core.Formats;

namespace Replication.Tests.Analyses.CaseStudy;

/// <summary>The Section 7 analyses against a brute-force reference on a store with planted duplicates and copies.</summary>
public class CaseStudyRunTests
{
    private static readonly CaseStudySettings Settings = new(Similarity.InnerProduct, Threshold: 0.9, K: 3, BootstrapSamples: 500);

    [Fact]
    public void EveryScoreEqualsABruteForceSearchOfTheWholeStore()
    {
        var f = CaseStudyFixture.Create();
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        var r = CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, outDir, Settings);

        using var store = EmbeddingStore.Open(f.Store);
        var all = new float[store.Count * store.Dimension];
        store.ReadRows(0, (int)store.Count, all);
        var gallery = new InMemoryVectors(all, store.Dimension, "store");
        var self = ExactSearch.Search(gallery, gallery, Similarity.InnerProduct, (int)store.Count - 1, excludeSelf: true);
        long Duplicates(long row) => Enumerable.Range(0, self.K).Count(i => self.Indices[row * self.K + i] >= 0 && self.Scores[row * self.K + i] > 0.95f);
        var images = EmbeddingFiles.ReadImages(f.Embeddings);
        using var gm = NpyMatrix.Open(Path.Combine(f.Embeddings, EmbeddingFiles.Vectors));
        var gen = ExactSearch.Search(gm, gallery, Similarity.InnerProduct, 1);

        Assert.Equal(6, r.Rows.Count);
        foreach (var row in r.Rows.Where(x => x.Scored))
        {
            int e = images.Select((im, i) => (im, i)).First(x => Path.GetFullPath(x.im.Path) == row.Path).i;
            Assert.Equal(gen.Scores[e], row.Top1, 5);
            Assert.Equal(gen.Scores[e], ScoreOf(store, all, row.MatchRow, gm, e), 5);
            Assert.Equal(Duplicates(row.MatchRow), row.MatchDuplicates);
            if (row.SourceRow >= 0)
            {
                Assert.Equal(self.Scores[row.SourceRow * self.K], row.SourceTop1, 5);
                Assert.Equal(Duplicates(row.SourceRow), row.SourceDuplicates);
            }
        }
        // the planted answers
        var g0 = r.Rows[0];
        Assert.True(g0.Top1 > 0.999f);
        Assert.StartsWith("img 00", store.Row(g0.MatchRow).Caption);
        Assert.Equal(3, g0.MatchDuplicates); // four identical images: three others each
        Assert.False(g0.MatchIsSource);
        Assert.Equal(g0.Top1, g0.Top1ExcludingSource);
        Assert.InRange(g0.OwnSource, -0.3f, 0.3f); // independent noise
        var g1 = r.Rows[1];
        Assert.True(g1.MatchIsSource);
        Assert.Equal(g1.Top1, g1.OwnSource, 5);
        Assert.True(g1.Top1ExcludingSource < 0.9f);
        Assert.Equal(0, g1.SourceDuplicates);
        Assert.Equal(-1, r.Rows[3].SourceRow); // "-": no source, and no problem for it
        Assert.True(r.Rows[3].Scored);
        Assert.Equal(-1, r.Rows[4].SourceRow);
        Assert.Contains(r.Problems, p => p.Contains("no-such-key"));
        Assert.DoesNotContain(r.Problems, p => p.Contains("generation 4:"));
        Assert.False(r.Rows[5].Scored);
        Assert.Contains("not embedded", r.Rows[5].Problem);
        Assert.Equal((2, 4), (r.AboveThreshold.Count, r.AboveThreshold.Total)); // the "-" prompt is not a training caption: left out
        Assert.InRange(r.AboveThreshold.Fraction, r.AboveThreshold.Low, r.AboveThreshold.High);
        Assert.Equal(1, r.MatchedOwnSource);
        Assert.Equal([3L, 0L], r.DuplicatesOf(DuplicatePopulation.MatchesAboveThreshold).Counts);
    }

    [Fact]
    public void AGenerationWithoutAFiniteEmbeddingIsAProblemNotANonReplica()
    {
        var f = CaseStudyFixture.Create();
        string npy = Path.Combine(f.Embeddings, EmbeddingFiles.Vectors);
        var data = NpyMatrix.ReadAll(npy, out long rows, out int columns);
        int g2 = EmbeddingFiles.ReadImages(f.Embeddings).Select((im, i) => (im, i)).First(x => x.im.Path.EndsWith("g2.png")).i;
        data[g2 * columns] = float.NaN;
        NpyWriter.Write(npy, data, columns);
        var r = CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, Path.Combine(Fixtures.TempFolder(), "study"), Settings);
        Assert.False(r.Rows[2].Scored);
        Assert.Contains("no finite match", r.Rows[2].Problem);
        Assert.Equal((2, 3), (r.AboveThreshold.Count, r.AboveThreshold.Total));
        Assert.Equal(3, r.DuplicatesOf(DuplicatePopulation.Matches).Images);
    }

    private static float ScoreOf(EmbeddingStore store, float[] all, long row, NpyMatrix gm, int e)
    {
        var q = new float[gm.Columns];
        gm.ReadRows(e, 1, q);
        return PairScore.Score(Similarity.InnerProduct, q, all.AsSpan((int)row * store.Dimension, store.Dimension));
    }

    [Fact]
    public void ARerunReusesEveryPartAndLoadReadsBackTheSameResult()
    {
        var f = CaseStudyFixture.Create();
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        var first = CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, outDir, Settings);
        var csv = File.ReadAllBytes(Path.Combine(outDir, CaseStudyFiles.Generations));
        var parts = Directory.GetFiles(outDir, "*.part", SearchOption.AllDirectories).ToDictionary(p => p, File.GetLastWriteTimeUtc);
        Assert.NotEmpty(parts);
        var second = CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, outDir, Settings);
        Assert.Equal(csv, File.ReadAllBytes(Path.Combine(outDir, CaseStudyFiles.Generations)));
        foreach (var (p, t) in parts) Assert.Equal(t, File.GetLastWriteTimeUtc(p));
        var loaded = CaseStudyFiles.Load(outDir);
        Assert.Equal(first.Rows, loaded.Rows);
        Assert.Equal(first.AboveThreshold, loaded.AboveThreshold);
        Assert.Equal(first.Duplicates.Select(d => d.Counts), loaded.Duplicates.Select(d => d.Counts));
        Assert.Equal(second.Problems, loaded.Problems);
    }

    [Fact]
    public void AnUnfinishedStudyIsNotReadAsFinished()
    {
        var f = CaseStudyFixture.Create();
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, outDir, Settings);
        File.Delete(Path.Combine(outDir, CaseStudyFiles.Summary));
        var e = Assert.Throws<InputMissingException>(() => CaseStudyFiles.Load(outDir));
        Assert.Contains(CaseStudyFiles.Summary, e.Message);
    }

    [Fact]
    public void GenerationsEmbeddedWithAnotherExtractorAreRefusedBeforeAnySearch()
    {
        var f = CaseStudyFixture.Create();
        var info = Path.Combine(f.Embeddings, EmbeddingFiles.Metadata);
        File.WriteAllText(info, File.ReadAllText(info).Replace("\"pixels", "\"resnet18", StringComparison.Ordinal));
        var outDir = Path.Combine(Fixtures.TempFolder(), "study");
        var e = Assert.Throws<InputDataException>(() => CaseStudyRun.Run(f.Store, f.Manifest, f.Embeddings, outDir, Settings));
        Assert.Contains("same extractor", e.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void SettingsOutsideTheirRangeNameTheirOption()
    {
        Assert.Equal("K", Assert.Throws<ParameterException>(() => (Settings with { K = 1 }).Validate()).Parameter);
        Assert.Equal("DuplicateThreshold", Assert.Throws<ParameterException>(() => (Settings with { DuplicateThreshold = 2 }).Validate()).Parameter);
        Assert.Equal("Threshold", Assert.Throws<ParameterException>(() => (Settings with { Threshold = double.NaN }).Validate()).Parameter);
    }
}
