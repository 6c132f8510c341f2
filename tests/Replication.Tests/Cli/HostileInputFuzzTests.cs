using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace Replication.Tests.Cli;

/// <summary>
/// Seeded mutation fuzzing of every input kind through the real CLI, one child process per mutant with its own time limit:
/// 42 mutants (6 each of PNG, JPEG, GIF and WebP through <c>embed</c>, 10 <c>.npy</c> files through <c>search</c>, 8 model
/// cards through <c>embed</c>). Every mutant must be processed or refused with a reason: exit 0 or a user error (1–4) with a one-line
/// error, never an unhandled exception, a crash or a hang.
/// </summary>
public class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261129;
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(30);

    private static byte[] Mutate(byte[] valid, Random rng)
    {
        var b = (byte[])valid.Clone();
        switch (rng.Next(3))
        {
            case 0: // bit flips anywhere
                for (int i = 0, n = rng.Next(1, 9); i < n; i++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 1: // truncation
                return b[..rng.Next(1, b.Length)];
            default: // header edits
                for (int i = 0, n = rng.Next(1, 5); i < n; i++) b[rng.Next(Math.Min(64, b.Length))] = (byte)rng.Next(256);
                return b;
        }
    }

    private static string MutateCard(string json, Random rng)
    {
        if (rng.Next(3) == 0) return Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(json), rng));
        string[] fields = ["\"size\"", "\"resize\"", "\"interpolation\"", "\"mean\"", "\"input\"", "\"output\"", "\"dim\"", "\"kind\"", "\"name\"", "\"scale\""];
        string[] values = ["null", "-1", "30000", "\"x\"", "[]", "{}", "1e309", "2147483648", "[1, 2]", "true"];
        string field = fields[rng.Next(fields.Length)];
        int at = json.IndexOf(field, StringComparison.Ordinal);
        if (at < 0) return json;
        int colon = json.IndexOf(':', at);
        int end = colon + 1;
        int depth = 0;
        for (; end < json.Length; end++) // the end of the value: a comma or closing bracket at depth 0
        {
            char c = json[end];
            if (c is '[' or '{') depth++;
            else if (c is ']' or '}') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        return json[..(colon + 1)] + " " + values[rng.Next(values.Length)] + json[end..];
    }

    private string? Judge(string what, Func<ProcessRunner.Result> run, Func<ProcessRunner.Result, string?> accept)
    {
        ProcessRunner.Result r;
        try
        {
            r = run();
        }
        catch (TimeoutException)
        {
            return $"{what}: no answer within {PerFile.TotalSeconds} s (hang)";
        }
        output.WriteLine($"{what}: exit {r.ExitCode} {r.Stderr.Split('\n')[0]}");
        if (r.Stderr.Contains("Unhandled exception", StringComparison.Ordinal) || r.Stderr.Contains("internal error", StringComparison.Ordinal)
            || r.ExitCode is not (0 or 1 or 2 or 3 or 4))
            return $"{what}: exit {r.ExitCode}: {r.Stderr[..Math.Min(400, r.Stderr.Length)]}";
        if (r.ExitCode != 0 && r.Stderr.Trim().Split('\n').Length != 1)
            return $"{what}: the error is not one line: {r.Stderr}";
        return accept(r);
    }

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "Replication.Cli.dll"), .. args], timeout: PerFile);

    private static Dictionary<string, byte[]> ValidImages()
    {
        using var image = Image.Load<Rgb24>(Fixtures.Path("preprocessing", "camera.png"));
        image.Mutate(x => x.Resize(64, 64));
        byte[] Save(Action<MemoryStream> save) { using var ms = new MemoryStream(); save(ms); return ms.ToArray(); }
        return new()
        {
            [".png"] = Save(ms => image.SaveAsPng(ms)),
            [".jpg"] = File.ReadAllBytes(Fixtures.Path("preprocessing", "rocket.jpg")),
            [".gif"] = Save(ms => image.SaveAsGif(ms)),
            [".webp"] = Save(ms => image.SaveAsWebp(ms)),
        };
    }

    [Fact]
    public void MutatedImagesNpyFilesAndCardsAreProcessedOrRefusedNeverCrash()
    {
        var rng = new Random(Seed);
        var failures = new List<string>();
        int mutants = 0;

        foreach (var (ext, valid) in ValidImages())
            for (int i = 0; i < 6; i++, mutants++)
            {
                var dir = Fixtures.TempFolder();
                File.WriteAllBytes(Path.Combine(dir, "mutant" + ext), Mutate(valid, rng));
                var outDir = Path.Combine(Fixtures.TempFolder(), "out");
                if (Judge($"image {ext} #{i}", () => Cli("embed", "--model", "pixels", "--images", dir, "--out", outDir), r =>
                    {
                        var skipped = File.Exists(Path.Combine(outDir, "skipped.csv")) ? File.ReadAllLines(Path.Combine(outDir, "skipped.csv")) : [];
                        return r.ExitCode switch
                        {
                            0 => null,
                            1 when skipped.Length == 2 && skipped[1].Contains("mutant") => null, // skipped with its reason
                            _ => $"image {ext} #{i}: exit {r.ExitCode} without a skipped.csv reason: {r.Stderr}",
                        };
                    }) is { } failure)
                    failures.Add(failure);
            }

        var npyDir = Fixtures.TempFolder();
        var validNpy = File.ReadAllBytes(Fixtures.Path("npy", "float32_7x5.npy"));
        var gallery = Fixtures.Path("npy", "float32_7x5.npy");
        for (int i = 0; i < 10; i++, mutants++)
        {
            var path = Path.Combine(npyDir, $"mutant{i}.npy");
            File.WriteAllBytes(path, Mutate(validNpy, rng));
            if (Judge($"npy #{i}", () => Cli("search", "--queries", path, "--gallery", gallery, "--k", "3", "--out", Path.Combine(npyDir, $"m{i}.csv")),
                    r => r.ExitCode is 0 or 1 ? null : $"npy #{i}: exit {r.ExitCode}") is { } failure)
                failures.Add(failure);
        }

        var cardJson = File.ReadAllText(Fixtures.Path("models", "tiny-vit.json"));
        var images = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(images, "a.png"));
        for (int i = 0; i < 8; i++, mutants++)
        {
            var dir = Fixtures.TempFolder();
            File.Copy(Fixtures.Path("models", "tiny-vit.onnx"), Path.Combine(dir, "tiny-vit.onnx"));
            var card = Path.Combine(dir, "card.json");
            File.WriteAllText(card, MutateCard(cardJson, rng));
            if (Judge($"card #{i}", () => Cli("embed", "--model", card, "--images", images, "--out", Path.Combine(dir, "out")), _ => null) is { } failure)
                failures.Add(failure);
        }

        output.WriteLine($"{mutants} mutants (seed {Seed}), {failures.Count} failures");
        Assert.Equal(42, mutants);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
