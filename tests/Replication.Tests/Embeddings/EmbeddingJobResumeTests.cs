using System.Diagnostics;
using System.Text.Json;
using Replication.Embeddings;
using Replication.Images;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Tests.Embeddings;

/// <summary>Resume that can be trusted: a changed layout is never mixed in, a damaged output is never reused, stale files are cleaned, one run per output.</summary>
public class EmbeddingJobResumeTests
{
    private static IReadOnlyList<ImageRecord> Images()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in new[] { "chelsea.png", "camera.png", "horse.png", "rocket.jpg", "chelsea-palette.png" })
            File.Copy(Fixtures.Path("preprocessing", f), Path.Combine(dir, f));
        return ImageCollection.FromFolder(dir);
    }

    private static void Interrupt(IReadOnlyList<ImageRecord> images, FeatureExtractor extractor, string outDir, int chunk, int afterImages)
    {
        using var cts = new CancellationTokenSource();
        var stop = new CallbackProgress<EmbeddingProgress>(p => { if (p.Done >= afterImages) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => EmbeddingJob.Run(images, extractor, outDir, batchSize: 1, chunkImages: chunk, progress: stop, cancel: cts.Token));
    }

    [Fact]
    public void ResumingWithAnotherChunkSizeKeepsEveryRow()
    {
        var images = Images();
        using var extractor = FeatureExtractor.Open("pixels");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        Interrupt(images, extractor, outDir, chunk: 2, afterImages: 3);
        var resumed = EmbeddingJob.Run(images, extractor, outDir, batchSize: 2, chunkImages: 4);
        Assert.Equal(images.Select(i => i.Id), resumed.Images.Select(i => i.Id));
        Assert.Equal(5, NpyMatrix.Open(resumed.VectorsPath).Rows);
    }

    [Theory]
    [InlineData("truncated")]     // 10 bytes cut off the end
    [InlineData("changed byte")]  // same size, one value changed
    public void ADamagedFinishedOutputIsEmbeddedAgainNotReused(string damage)
    {
        var images = Images();
        using var extractor = FeatureExtractor.Open("pixels");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        var first = EmbeddingJob.Run(images, extractor, outDir);
        var expected = NpyMatrix.ReadAll(first.VectorsPath, out _, out _);
        var bytes = File.ReadAllBytes(first.VectorsPath);
        if (damage == "truncated") bytes = bytes[..^10];
        else bytes[^7] ^= 0x40;
        File.WriteAllBytes(first.VectorsPath, bytes);
        var again = EmbeddingJob.Run(images, extractor, outDir);
        Assert.Equal(expected, NpyMatrix.ReadAll(again.VectorsPath, out _, out _));
    }

    [Fact]
    public void StalePartialFilesAreRemoved()
    {
        var images = Images();
        using var extractor = FeatureExtractor.Open("pixels");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        EmbeddingJob.Run(images, extractor, outDir);
        var stale = Path.Combine(outDir, ".embeddings.npy.999999.0123456789abcdef.partial");
        File.WriteAllText(stale, "left by a run killed during final assembly");
        EmbeddingJob.Run(images, extractor, outDir);
        Assert.False(File.Exists(stale));
    }

    private static void WriteLock(string outDir, string host, int pid, DateTime started)
    {
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, ".lock"), JsonSerializer.Serialize(new { host, pid, started = started.ToUniversalTime().ToString("o") }));
    }

    [Fact]
    public void ASecondRunIntoTheSameOutputRefusesWithAClearMessage()
    {
        var images = Images();
        using var extractor = FeatureExtractor.Open("pixels");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        using var self = Process.GetCurrentProcess();
        WriteLock(outDir, Environment.MachineName, Environment.ProcessId, self.StartTime); // a live run
        var e = Assert.Throws<OutputLockedException>(() => EmbeddingJob.Run(images, extractor, outDir));
        Assert.Contains("another run", e.Message);
        Assert.Contains(Environment.ProcessId.ToString(), e.Message);
        Assert.False(File.Exists(Path.Combine(outDir, EmbeddingFiles.Metadata)));
    }

    [Fact]
    public void AStaleLockOfAProcessThatIsGoneIsTakenOver()
    {
        var images = Images();
        using var extractor = FeatureExtractor.Open("pixels");
        string outDir = Path.Combine(Fixtures.TempFolder(), "out");
        WriteLock(outDir, Environment.MachineName, 2_147_483_646, DateTime.UtcNow.AddHours(-1)); // no such pid
        var done = EmbeddingJob.Run(images, extractor, outDir);
        Assert.Equal(5, done.Count);
        Assert.False(File.Exists(Path.Combine(outDir, ".lock")), "the lock is released when the run ends");
    }
}
