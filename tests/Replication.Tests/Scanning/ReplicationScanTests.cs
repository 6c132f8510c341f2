using Replication.Demo;
using Replication.Scanning;
using Replication.Storage;

namespace Replication.Tests.Scanning;

public class ReplicationScanTests
{
    [Fact]
    public void TinyDemoEndToEndFindsPlantedCopiesAndWritesEveryOutput()
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        var set = DemoSetBuilder.Build(sources, Path.Combine(dir, "data"), replicasPerKind: 1, maxSources: 12);
        // a bad image among the generations must be skipped, not abort the scan
        File.WriteAllBytes(Path.Combine(set.GeneratedFolder, "zz-broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var result = ReplicationScan.Run(new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(dir, "out"), TopK = 3,
        });

        Assert.Single(result.Generated.Skipped);
        Assert.Contains("zz-broken.png", result.Generated.Skipped[0].Path);
        var copy = set.Truth.Single(t => t.Kind == "copy");
        int row = result.Generated.Images.ToList().FindIndex(i => i.Path.EndsWith(copy.Generated));
        Assert.Equal(1f, result.Matches.ScoresOf(row)[0], 4);
        Assert.Equal(copy.SourceTraining, Path.GetFileName(result.Training.Images[(int)result.Matches.IndicesOf(row)[0]].Path));
        // the self-similarity baseline never matches a training image with itself
        for (int i = 0; i < result.TrainingSelfMatches.Queries; i++)
            Assert.NotEqual(i, result.TrainingSelfMatches.IndicesOf(i)[0]);

        string o = Path.Combine(dir, "out");
        foreach (var f in new[] { ScanReport.Html, ScanReport.Summary, ScanReport.Matches, ScanReport.Skipped })
            Assert.True(File.Exists(Path.Combine(o, f)), f);
        var html = File.ReadAllText(Path.Combine(o, ScanReport.Html));
        Assert.Contains("<svg", html);
        Assert.Contains("data:image/jpeg;base64,", html);
        Assert.DoesNotContain("<script src=", html);
        var matches = CsvTable.Read(Path.Combine(o, ScanReport.Matches));
        Assert.Equal(result.Generated.Count * 3, matches.Rows.Count);
        Assert.Contains("zz-broken.png", File.ReadAllText(Path.Combine(o, ScanReport.Skipped)));
        using var npy = NpyMatrix.Open(Path.Combine(o, "generated", EmbeddingFiles.Vectors));
        Assert.Equal(result.Generated.Count, npy.Rows);
        Assert.Equal(512, npy.Columns);
        Assert.Empty(Directory.GetFiles(o, "*.partial", SearchOption.AllDirectories));

        // a rerun reuses the embeddings and gives the same answer
        var again = ReplicationScan.Run(result.Options);
        Assert.Equal(result.Matches.Indices, again.Matches.Indices);
    }

    [Fact]
    public void EmptyInputFolderIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        Directory.CreateDirectory(Path.Combine(dir, "gen"));
        var e = Assert.Throws<InvalidDataException>(() => ReplicationScan.Run(new ScanOptions
        {
            Generated = Path.Combine(dir, "gen"), Training = Path.Combine(dir, "gen"), OutputFolder = Path.Combine(dir, "out"),
        }));
        Assert.Contains("no images found", e.Message);
    }

    [Fact]
    public void ManifestWithoutPathColumnIsAClearError()
    {
        var dir = Fixtures.TempFolder();
        var manifest = Path.Combine(dir, "m.csv");
        File.WriteAllText(manifest, "file,caption\na.png,x\n");
        var e = Assert.Throws<InvalidDataException>(() => Replication.Imaging.ImageCollection.Open(manifest));
        Assert.Contains("'path' column", e.Message);
    }

    [Fact]
    public void WithoutAnExplicitSimilarityTheScanUsesTheModelCards()
    {
        var dir = Fixtures.TempFolder();
        var sources = Path.Combine(Fixtures.RepositoryRoot(), "data", "demo-sources");
        var set = DemoSetBuilder.Build(sources, Path.Combine(dir, "data"), replicasPerKind: 1, maxSources: 8);
        var result = ReplicationScan.Run(new ScanOptions
        {
            Generated = set.GeneratedFolder, Training = set.TrainingFolder, OutputFolder = Path.Combine(dir, "out"), Model = "tiled-l2",
        });
        Assert.Equal(Replication.Search.Similarity.TiledL2(16), result.Similarity);
        Assert.Contains("tiled-l2x16", File.ReadAllText(Path.Combine(dir, "out", ScanReport.Summary)));
        var copy = set.Truth.Single(t => t.Kind == "copy");
        int row = result.Generated.Images.ToList().FindIndex(i => i.Path.EndsWith(copy.Generated));
        Assert.Equal(1f, result.Matches.ScoresOf(row)[0], 5); // an exact copy has identical tiles
    }
}
