using System.Text.Json.Nodes;
using Replication.Data.Diffusion;

namespace Replication.Tests.Data.Diffusion;

/// <summary>
/// The C# samplers against PyTorch on the same network and the same noise: fixtures/ddpm (make_ddpm_fixtures.py) holds a tiny
/// denoiser trained 6 steps by models/ddpm/train_ddpm.py, exported to ONNX, with PyTorch's noise prediction, one ancestral
/// step at t = 500 and a DDIM-10 (η = 0) run from a stored x_T, computed by models/ddpm/schedulers.py.
/// </summary>
public class SamplerTests
{
    private static string Ref(string model, string name) => Fixtures.Path("ddpm", model, "reference", name + ".npy");

    private static long[]? Labels(string model) => File.Exists(Ref(model, "class_labels")) ? Fixtures.ReadNpyLongs(Ref(model, "class_labels")) : null;

    private static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("tiny-conditional")]
    public void NoisePredictionMatchesPyTorch(string model)
    {
        using var d = new OnnxDenoiser(DenoiserCard.Load(Fixtures.Path("ddpm", model, "card.json")));
        var x = Fixtures.ReadNpyFloats(Ref(model, "sample"));
        var t = Fixtures.ReadNpyLongs(Ref(model, "timestep"));
        var expected = Fixtures.ReadNpyFloats(Ref(model, "noise"));
        var labels = Labels(model);
        int len = d.SampleLength;
        for (int i = 0; i < t.Length; i++)
        {
            var eps = d.PredictNoise(x[(i * len)..((i + 1) * len)], 1, (int)t[i], labels is null ? null : [labels[i]]);
            Assert.True(MaxDiff(eps, expected[(i * len)..((i + 1) * len)]) < 1e-5);
        }
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("tiny-conditional")]
    public void OneAncestralStepMatchesPyTorchOnTheSameNoise(string model)
    {
        using var d = new OnnxDenoiser(DenoiserCard.Load(Fixtures.Path("ddpm", model, "card.json")));
        var xT = Fixtures.ReadNpyFloats(Ref(model, "ddim_x_T"));
        var z = Fixtures.ReadNpyFloats(Ref(model, "ddpm_z"));
        var expected = Fixtures.ReadNpyFloats(Ref(model, "ddpm_step500"));
        var eps = d.PredictNoise(xT, 2, 500, Labels(model));
        var next = new float[xT.Length];
        ReverseStep.Ddpm(xT, eps, 500, d.Schedule, clip: true, largeVariance: false, z, next);
        Assert.True(MaxDiff(next, expected) < 1e-5, $"max difference {MaxDiff(next, expected)}");
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("tiny-conditional")]
    public void DeterministicDdimMatchesPyTorch(string model)
    {
        using var d = new OnnxDenoiser(DenoiserCard.Load(Fixtures.Path("ddpm", model, "card.json")));
        var sampler = new DiffusionSampler(d, new SamplerSettings(SamplerKind.Ddim, 10));
        var x = sampler.Run(Fixtures.ReadNpyFloats(Ref(model, "ddim_x_T")), 2, Labels(model), (_, _) => throw new InvalidOperationException("η = 0 draws no noise"));
        double diff = MaxDiff(x, Fixtures.ReadNpyFloats(Ref(model, "ddim10")));
        Assert.True(diff < 1e-4, $"max difference {diff}"); // in pixels: below 0.02 of a level
    }

    [Fact]
    public void ClassifierFreeGuidanceMatchesPyTorch()
    {
        // tiny-conditional was trained with label dropout: its card names the null class (2, after classes a and b)
        var card = DenoiserCard.Load(Fixtures.Path("ddpm", "tiny-conditional", "card.json"));
        Assert.Equal(2, card.NullClass);
        using var d = new OnnxDenoiser(card);
        var sampler = new DiffusionSampler(d, new SamplerSettings(SamplerKind.Ddim, 10, GuidanceScale: 3.0));
        var x = sampler.Run(Fixtures.ReadNpyFloats(Ref("tiny-conditional", "ddim_x_T")), 2, Labels("tiny-conditional"), (_, _) => throw new InvalidOperationException());
        double diff = MaxDiff(x, Fixtures.ReadNpyFloats(Ref("tiny-conditional", "ddim10_guided3")));
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.True(MaxDiff(x, Fixtures.ReadNpyFloats(Ref("tiny-conditional", "ddim10"))) > 1e-3, "guidance changed nothing");

        using var plain = new OnnxDenoiser(DenoiserCard.Load(Fixtures.Path("ddpm", "tiny", "card.json")));
        var e = Assert.Throws<InputDataException>(() => new DiffusionSampler(plain, new SamplerSettings(SamplerKind.Ddim, 10, GuidanceScale: 2)));
        Assert.Contains("guidance needs a denoiser trained with a null class", e.Message);
    }

    [Fact]
    public void DdimTimestepsUseDiffusersLeadingSpacing()
    {
        var t = SamplerSettings.DdimTimesteps(1000, 50);
        Assert.Equal(50, t.Length);
        Assert.Equal((980, 960, 0), (t[0], t[1], t[^1]));
        Assert.Equal(999, new SamplerSettings(SamplerKind.Ddpm, 1000).Timesteps(1000)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SamplerSettings.DdimTimesteps(1000, 1001));
    }

    [Fact]
    public void NoiseStreamsAreStandardNormalAndFixedBySeedAndIndex()
    {
        var a = new float[200_000];
        new NoiseStream(7, 3).Fill(a);
        double mean = a.Average(v => (double)v), variance = a.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        var b = new float[16];
        var c = new float[16];
        new NoiseStream(7, 3).Fill(b);
        new NoiseStream(7, 4).Fill(c);
        Assert.Equal(a[..16], b);
        Assert.NotEqual(b, c);
    }

    [Fact]
    public void TheSameSeedGivesTheSameImagesWhateverTheBatchAndAResumeRedrawsOnlyWhatIsMissing()
    {
        string card = Fixtures.Path("ddpm", "tiny", "card.json");
        string one = Fixtures.TempFolder(), two = Fixtures.TempFolder();
        var settings = new SamplerSettings(SamplerKind.Ddim, 5, Eta: 0.5);
        SampleJob.Run(new SampleOptions { Denoiser = card, OutputFolder = one, Count = 5, Sampler = settings, Seed = 3, BatchSize = 1 });
        SampleJob.Run(new SampleOptions { Denoiser = card, OutputFolder = two, Count = 5, Sampler = settings, Seed = 3, BatchSize = 4 });
        for (int i = 0; i < 5; i++)
            Assert.Equal(File.ReadAllBytes(SampleJob.ImagePath(one, i)), File.ReadAllBytes(SampleJob.ImagePath(two, i)));
        Assert.NotEqual(File.ReadAllBytes(SampleJob.ImagePath(one, 0)), File.ReadAllBytes(SampleJob.ImagePath(one, 1)));

        var kept = File.GetLastWriteTimeUtc(SampleJob.ImagePath(one, 0));
        var removed = File.ReadAllBytes(SampleJob.ImagePath(one, 3));
        File.Delete(SampleJob.ImagePath(one, 3));
        var resumed = SampleJob.Run(new SampleOptions { Denoiser = card, OutputFolder = one, Count = 6, Sampler = settings, Seed = 3 });
        Assert.Equal(4, resumed.Reused);
        Assert.Equal(removed, File.ReadAllBytes(SampleJob.ImagePath(one, 3)));
        Assert.Equal(kept, File.GetLastWriteTimeUtc(SampleJob.ImagePath(one, 0)));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(one, SampleJob.Manifest)).Length);

        var other = Assert.Throws<InputDataException>(() =>
            SampleJob.Run(new SampleOptions { Denoiser = card, OutputFolder = one, Count = 6, Sampler = settings, Seed = 4 }));
        Assert.Contains("seed 3 there, 4 now", other.Message);
    }

    [Fact]
    public void ARefusedSettingLeavesTheFolderFreeForTheNextRun()
    {
        string card = Fixtures.Path("ddpm", "tiny", "card.json"), folder = Fixtures.TempFolder();
        var guided = Assert.Throws<InputDataException>(() => SampleJob.Run(new SampleOptions
            { Denoiser = card, OutputFolder = folder, Count = 2, Sampler = new SamplerSettings(SamplerKind.Ddim, 3, GuidanceScale: 3) }));
        Assert.Contains("null class", guided.Message);
        var steps = Assert.ThrowsAny<UsageException>(() => SampleJob.Run(new SampleOptions
            { Denoiser = card, OutputFolder = folder, Count = 2, Sampler = new SamplerSettings(SamplerKind.Ddim, 1001) }));
        Assert.Contains("Steps = 1001", steps.Message);
        Assert.False(File.Exists(Path.Combine(folder, SampleJob.Settings)));
        Assert.Equal(2, SampleJob.Run(new SampleOptions { Denoiser = card, OutputFolder = folder, Count = 2, Sampler = new SamplerSettings(SamplerKind.Ddim, 3) }).Count);
    }

    [Fact]
    public void AConditionalDenoiserDrawsTheRequestedClassesInTurn()
    {
        string folder = Fixtures.TempFolder();
        SampleJob.Run(new SampleOptions
        {
            Denoiser = Fixtures.Path("ddpm", "tiny-conditional", "card.json"), OutputFolder = folder, Count = 3,
            Sampler = new SamplerSettings(SamplerKind.Ddim, 3), Classes = ["b", "a"],
        });
        var labels = File.ReadAllLines(Path.Combine(folder, SampleJob.Manifest)).Skip(1).Select(l => l.Split(',')[2]).ToArray();
        Assert.Equal(["b", "a", "b"], labels);
        var e = Assert.Throws<InputDataException>(() => SampleJob.Run(new SampleOptions
        {
            Denoiser = Fixtures.Path("ddpm", "tiny-conditional", "card.json"), OutputFolder = Fixtures.TempFolder(), Count = 1,
            Sampler = new SamplerSettings(SamplerKind.Ddim, 3), Classes = ["c"],
        }));
        Assert.Contains("no class 'c' (classes: a, b)", e.Message);
    }

    [Theory]
    [InlineData("tiny", "imageSize", 16, "dimension 2, the card says 16 (imageSize)")]
    [InlineData("tiny-conditional", "classInput", null, "class_labels that the card does not name")]
    [InlineData("tiny", "timestepInput", "t", "no input 't'")]
    [InlineData("tiny-conditional", "nullClass", 5, "nullClass 5 must be 2")]
    public void ACardThatDoesNotMatchItsOnnxIsRefused(string model, string field, object? value, string expected)
    {
        var dir = Fixtures.TempFolder();
        File.Copy(Fixtures.Path("ddpm", model, "denoiser.onnx"), Path.Combine(dir, "denoiser.onnx"));
        var card = JsonNode.Parse(File.ReadAllText(Fixtures.Path("ddpm", model, "card.json")))!.AsObject();
        card[field] = value is null ? null : JsonValue.Create(value);
        if (value is null) { card.Remove("classes"); card.Remove("nullClass"); }
        if (value is null) card.Remove(field);
        File.WriteAllText(Path.Combine(dir, "card.json"), card.ToJsonString());
        var e = Assert.ThrowsAny<UserInputException>(() => new OnnxDenoiser(DenoiserCard.Load(Path.Combine(dir, "card.json"))));
        Assert.Contains(expected, e.Message);
    }
}
