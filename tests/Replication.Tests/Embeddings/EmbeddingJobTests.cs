using Replication.Embeddings;
using Replication.Images;
using Replication.Core.Formats;

namespace Replication.Tests.Embeddings;

public class EmbeddingJobTests
{
    private static IReadOnlyList<ImageRecord> FixtureImages(string dir)
    {
        foreach (var f in new[] { "chelsea.png", "camera.png", "horse.png", "rocket.jpg", "chelsea-palette.png" })
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(dir, f));
        File.WriteAllText(Path.Combine(dir, "broken.jpg"), "not a jpeg");
        return ImageCollection.FromFolder(dir);
    }

    [Fact]
    public void InterruptedRunResumesAfterTheLastFinishedChunkAndMatchesAnUninterruptedRun()
    {
        var images = FixtureImages(Fixtures.TempFolder());
        using var extractor = FeatureExtractor.Open("resnet18");
        var reference = EmbeddingJob.Run(images, extractor, Path.Combine(Fixtures.TempFolder(), "ref"), batchSize: 2, chunkImages: 2);

        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        using var cts = new CancellationTokenSource();
        var stop = new CallbackProgress<EmbeddingProgress>(p => { if (p.Done >= 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => EmbeddingJob.Run(images, extractor, outDir, batchSize: 1, chunkImages: 2, progress: stop, cancel: cts.Token));
        Assert.False(File.Exists(Path.Combine(outDir, EmbeddingFiles.Metadata)), "an interrupted run must not look complete");
        Assert.False(File.Exists(Path.Combine(outDir, EmbeddingFiles.Vectors)));

        var reports = new List<EmbeddingProgress>();
        var resumed = EmbeddingJob.Run(images, extractor, outDir, batchSize: 1, chunkImages: 2, progress: new CallbackProgress<EmbeddingProgress>(reports.Add));
        Assert.Equal(3, reports[0].Done); // chunk 0 (2 images) was reused; the first new report is after one more image
        Assert.Equal(reference.Count, resumed.Count);
        Assert.Equal(5, resumed.Count);
        Assert.Single(resumed.Skipped);
        Assert.Contains("broken.jpg", resumed.Skipped[0].Path);
        Assert.Equal(reference.Images.Select(i => i.Id), resumed.Images.Select(i => i.Id));
        var a = NpyMatrix.ReadAll(reference.VectorsPath, out _, out _);
        var b = NpyMatrix.ReadAll(resumed.VectorsPath, out _, out _);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-3f * Math.Max(1, Math.Abs(a[i])));
        Assert.Empty(Directory.GetDirectories(outDir, ".work-*"));
    }

    [Fact]
    public void CompleteFolderIsReusedAndChangedInputsAreReembedded()
    {
        var dir = Fixtures.TempFolder();
        var images = FixtureImages(dir);
        using var extractor = FeatureExtractor.Open("resnet18");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var first = EmbeddingJob.Run(images, extractor, outDir);
        var stamp = File.GetLastWriteTimeUtc(first.VectorsPath);
        var again = EmbeddingJob.Run(images, extractor, outDir);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(again.VectorsPath));

        File.Delete(Path.Combine(dir, "camera.png"));
        var fewer = EmbeddingJob.Run(ImageCollection.FromFolder(dir), extractor, outDir);
        Assert.Equal(4, fewer.Count);
        Assert.DoesNotContain(fewer.Images, i => i.Id == "camera.png");
    }

    [Fact]
    public void AnExtremelyElongatedImageIsSkippedNotFatal()
    {
        var dir = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, "camera.png"));
        using (var strip = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(1, 300_000))
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(strip, Path.Combine(dir, "strip.png"));
        using var extractor = FeatureExtractor.Open("pixels");
        var set = EmbeddingPipeline.Run(ImageCollection.FromFolder(dir), extractor);
        Assert.Equal(1, set.Count);
        Assert.Contains("elongated", Assert.Single(set.Skipped).Reason);
    }
}
