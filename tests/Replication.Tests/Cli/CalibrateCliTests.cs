using System.Text.Json.Nodes;
using Replication.Analyses.Calibration;
using Replication.Embeddings;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Cli;

public class CalibrateCliTests
{
    /// <summary>60 noise images in 12 groups of 5 (each group: one pattern with a little noise), and their manifest.</summary>
    private static string Manifest(string dir, bool withLabels = true)
    {
        var rng = new Random(3);
        var lines = new List<string> { withLabels ? "path,label" : "path" };
        for (int g = 0; g < 12; g++)
        {
            var pattern = new byte[32 * 32];
            rng.NextBytes(pattern);
            for (int k = 0; k < 5; k++)
            {
                using var image = new Image<Rgb24>(32, 32);
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        byte v = (byte)Math.Clamp(pattern[y * 32 + x] + rng.Next(-20, 21), 0, 255);
                        image[x, y] = new Rgb24(v, v, v);
                    }
                string name = $"g{g}-{k}.png";
                image.SaveAsPng(Path.Combine(dir, name));
                lines.Add(withLabels ? $"{name},group{g}" : name);
            }
        }
        string manifest = Path.Combine(dir, "calibration.csv");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }

    [Fact]
    public void CalibrateScoresTheUnrelatedPairsAndWritesTheThresholdAndTheHighestPairs()
    {
        var dir = Fixtures.TempFolder();
        string manifest = Manifest(dir);
        var r = CliRunner.Run("calibrate", "--model", "pixels", "--images", manifest, "--exceedance", "0.01", "--out", Path.Combine(dir, "out"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("1,650 unrelated pairs among 60 images in 12 groups", r.Stdout); // 60·59/2 − 12·10 pairs within groups
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", PairCalibrationRun.ResultFile)))!;
        Assert.Equal(1650, (long)json["pairs"]!);
        Assert.True((long)json["above"]! <= 16);
        var highest = File.ReadAllLines(Path.Combine(dir, "out", PairCalibrationRun.HighestFile));
        Assert.Equal("rank,score,first,second", highest[0]);
        Assert.All(highest.Skip(1), l => Assert.NotEqual(l.Split(',')[2].Split('-')[0], l.Split(',')[3].Split('-')[0])); // never two of one group
    }

    [Fact]
    public void AManifestWithoutLabelsOrAMissingCardIsOneLineNamingIt()
    {
        var dir = Fixtures.TempFolder();
        var r = CliRunner.Run("calibrate", "--model", "pixels", "--images", Manifest(dir, withLabels: false), "--out", Path.Combine(dir, "out"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("has no label", r.Stderr);
        r = CliRunner.Run("calibrate", "--model", "pixels", "--images", Path.Combine(dir, "calibration.csv"), "--out", Path.Combine(dir, "out"), "--write-card", Path.Combine(dir, "nope.json"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--write-card", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void WriteToCardRecordsTheCalibrationWhichTheCardThenCarries()
    {
        var dir = Fixtures.TempFolder();
        string card = Path.Combine(dir, "card.json");
        File.Copy(Path.Combine(Fixtures.RepositoryRoot(), "models", "copy-detector", "copy-detector-r18", "copy-detector-r18.json"), card);
        var result = new PairCalibrationResult("copy-detector-r18", 100, 10, 4500, new PairQuantile(1e-2, 0.43214, 44), [], []) { Set = "test set" };
        // the calibration of another model is refused, naming both
        var other = Assert.Throws<ParameterException>(() => PairCalibrationRun.WriteToCard(card, result with { Model = "pixels-gray32" }));
        Assert.Contains("pixels-gray32", other.Message);
        PairCalibrationRun.WriteToCard(card, result);
        var loaded = ModelCard.Load(card);
        Assert.Equal(0.4322, loaded.Calibration!.Threshold); // rounded up: never more than the share above it
        Assert.Equal(4500, loaded.Calibration.Pairs);
        Assert.Equal("test set", loaded.Calibration.Set);
        Assert.Equal("copy-detector-r18", loaded.Name); // the rest kept
    }
}
