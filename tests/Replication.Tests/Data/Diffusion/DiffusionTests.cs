using System.Security.Cryptography;
using System.Text.Json;
using Replication.Data.Datasets;
using Replication.Data.Diffusion;
using Replication.Core.Onnx;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Replication.Tests.Data.Diffusion;

public class DiffusionTests
{
    [Fact]
    public void LinearScheduleHasDdpmEndpointsAndCosineEndsNearPureNoise()
    {
        var linear = NoiseSchedule.Linear(1000);
        Assert.Equal(1e-4, linear.Betas[0], 12);
        Assert.Equal(0.02, linear.Betas[^1], 12);
        Assert.Equal(1 - 1e-4, linear.AlphasCumprod[0], 12);
        Assert.True(linear.AlphasCumprod[^1] < 1e-4);
        var cosine = NoiseSchedule.Cosine(1000);
        Assert.True(cosine.Betas[0] < 1e-4);
        Assert.True(cosine.AlphasCumprod[^1] < 1e-6);
        for (int t = 1; t < 1000; t++) Assert.True(cosine.AlphasCumprod[t] < cosine.AlphasCumprod[t - 1]);
    }

    [Fact]
    public void LastReverseStepReturnsTheClippedPredictedImage()
    {
        // at t = 0: ᾱ_prev = 1 and ᾱ = 1 − β, so x_{-1} = x̂₀ = (x − √β ε)/√(1 − β), clipped, with no noise
        var s = NoiseSchedule.Linear(10);
        double beta = s.Betas[0];
        float[] x = [0.5f, 3f], eps = [0.2f, 0f];
        var r = DdpmStep.Reverse(x, eps, 0, s, new Random(1));
        Assert.Equal((0.5 - Math.Sqrt(beta) * 0.2) / Math.Sqrt(1 - beta), r[0], 5);
        Assert.Equal(1f, r[1]); // clipped
    }

    [Fact]
    public void ReverseStepIsThePosteriorMeanOnAverage()
    {
        // with the true noise, x̂₀ = x₀ and E[x_{t−1}] = β√ᾱ_prev/(1−ᾱ)·x₀ + (1−ᾱ_prev)√(1−β)/(1−ᾱ)·x_t
        var s = NoiseSchedule.Linear(100);
        int t = 40;
        double abar = s.AlphasCumprod[t], prev = s.AlphasCumprod[t - 1], beta = s.Betas[t];
        float x0 = 0.3f, z = 0.7f;
        float xt = (float)(Math.Sqrt(abar) * x0 + Math.Sqrt(1 - abar) * z);
        var rng = new Random(3);
        double sum = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++) sum += DdpmStep.Reverse([xt], [z], t, s, rng)[0];
        double expected = beta * Math.Sqrt(prev) / (1 - abar) * x0 + (1 - prev) * Math.Sqrt(1 - beta) / (1 - abar) * xt;
        double sigma = Math.Sqrt(beta * (1 - prev) / (1 - abar));
        Assert.Equal(expected, sum / n, 4 * sigma / Math.Sqrt(n) > 1e-3 ? 2 : 3);
    }

    [Fact]
    public void RePaintScheduleGoesDownWithJumpsBackUp()
    {
        var times = RePaintSchedule.Times(20, jumpLength: 5, resamplings: 3);
        Assert.Equal(19, times[0]);
        Assert.Equal(-1, times[^1]);
        int down = 0, up = 0;
        for (int i = 1; i < times.Count; i++)
        {
            Assert.Equal(1, Math.Abs(times[i] - times[i - 1]));
            if (times[i] < times[i - 1]) down++; else up++;
        }
        // jumps at states 0, 5 and 10, each taken twice, each 5 steps long
        Assert.Equal(30, up);
        Assert.Equal(20 + 30, down);
    }

    [Fact]
    public void RespacingKeepsGuidedDiffusionsStepsAndTheirAlphasCumprod()
    {
        var original = NoiseSchedule.Linear(1000);
        var spaced = RespacedSchedule.Create(original, 250);
        Assert.Equal(250, spaced.Steps);
        // space_timesteps(1000, [250]): stride 999/249, Python's round (half to even) of the running sum
        Assert.Equal([0, 4, 8, 12, 16], spaced.TimestepMap.Take(5));
        Assert.Equal([241, 245, 249, 253, 257, 261], spaced.TimestepMap.Skip(60).Take(6));
        Assert.Equal([497, 502, 506, 510], spaced.TimestepMap.Skip(124).Take(4));
        Assert.Equal([991, 995, 999], spaced.TimestepMap.Skip(247));
        for (int i = 0; i < 250; i++)
            Assert.Equal(original.AlphasCumprod[spaced.TimestepMap[i]], spaced.Schedule.AlphasCumprod[i], 12);
        Assert.Equal(original.Betas[0], spaced.Schedule.Betas[0], 15);
        Assert.True(spaced.Schedule.Betas[100] > 3 * original.Betas[spaced.TimestepMap[100]]);
        Assert.Equal(Enumerable.Range(0, 1000), RespacedSchedule.Create(original, 1000).TimestepMap);
        Assert.Throws<ArgumentOutOfRangeException>(() => RespacedSchedule.Create(original, 1001));
    }

    [Fact]
    public void RePaintsDefaultScheduleCosts2410NetworkCallsPerImage()
    {
        var times = RePaintSchedule.Times(250);
        // as RePaint's get_schedule_jump_paper: 250 steps, jumps of 10 at states 0, 10, ..., 230, nine times each
        Assert.Equal(249, times[0]);
        Assert.Equal(250 + 2 * 24 * 9 * 10 + 1, times.Count);
        // down to 230, up to 240 and back to 230 nine times, then on to 229
        Assert.Equal((230, 231, 240, 230, 229), (times[19], times[20], times[29], times[199], times[200]));
        Assert.Equal(2410, RePaintSchedule.NetworkCalls(250, 10, 10));
        Assert.Equal(250, RePaintSchedule.NetworkCalls(250, 10, 1));
    }

    private static OnnxDenoiser TinyDenoiser()
    {
        // ε̂ = 0.1·x: not a trained model, but a real ONNX network with the denoiser's interface
        var model = new OnnxGraphBuilder("tiny_denoiser")
            .Input("sample", OnnxGraphBuilder.ElemFloat, "batch", 3, 8, 8)
            .Input("timestep", OnnxGraphBuilder.ElemInt64, "batch")
            .Output("noise", OnnxGraphBuilder.ElemFloat, "batch", 3, 8, 8)
            .FloatInitializer("scale", [], [0.1f])
            .Node("Mul", ["sample", "scale"], ["noise"])
            .ToModel();
        var dir = Fixtures.TempFolder();
        File.WriteAllBytes(Path.Combine(dir, "tiny.onnx"), model);
        var card = Path.Combine(dir, "tiny.json");
        File.WriteAllText(card, JsonSerializer.Serialize(new { name = "tiny", onnx = "tiny.onnx", sha256 = Convert.ToHexStringLower(SHA256.HashData(model)), imageSize = 8, steps = 12 }));
        return new OnnxDenoiser(DenoiserCard.Load(card));
    }

    [Fact]
    public void RePaintFillKeepsKnownPixelsAndIsDeterministicForASeed()
    {
        using var denoiser = TinyDenoiser();
        var fill = new RePaintFill(denoiser, steps: 6, jumpLength: 3, resamplings: 2);
        Image<Rgb24> Make() { var img = new Image<Rgb24>(24, 16); for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) img[x, y] = new Rgb24((byte)(x * 10), (byte)(y * 15), 128); return img; }
        var known = Enumerable.Range(0, 24 * 16).Select(i => i % 24 < 12).ToArray();
        using var a = Make();
        using var b = Make();
        using var original = Make();
        fill.Fill(a, known, new Random(5));
        fill.Fill(b, known, new Random(5));
        int changed = 0;
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 24; x++)
            {
                Assert.Equal(a[x, y], b[x, y]);
                if (x < 12) Assert.Equal(original[x, y], a[x, y]);
                else if (!a[x, y].Equals(original[x, y])) changed++;
            }
        Assert.True(changed > 100, $"only {changed} unknown pixels were filled");
    }

    [Fact]
    public void DenoiserCardErrorsNameTheCard()
    {
        var dir = Fixtures.TempFolder();
        var card = Path.Combine(dir, "bad.json");
        File.WriteAllText(card, "{\"name\":\"x\",\"onnx\":\"x.onnx\",\"sha256\":\"00\",\"imageSize\":8,\"schedule\":\"sigmoid\"}");
        Assert.Contains("bad.json", Assert.Throws<InputDataException>(() => DenoiserCard.Load(card)).Message);
    }

    [Theory]
    [InlineData("\"onnx\": null", "'onnx' is missing")]
    [InlineData("\"output\": null", "'output' is missing")]
    [InlineData("\"steps\": 2000000000", "steps 2000000000 is above 100000")]
    [InlineData("\"imageSize\": 100000", "imageSize 100000 is above 4096")]
    [InlineData("\"onnx\": \"../../elsewhere.onnx\"", "leads outside the card's folder")]
    [InlineData("\"classInput\": \"c\", \"classes\": [\"a\", \"\"]", "a class name is empty")]
    public void ADamagedDenoiserCardIsOneLineNamingTheFieldNotACrash(string field, string message)
    {
        // a valid card with one field replaced: refused with the card's name and the field, before any model is loaded
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixtures.Path("ddpm", "tiny", "card.json")))!.AsObject();
        var patch = System.Text.Json.Nodes.JsonNode.Parse("{" + field + "}")!.AsObject();
        foreach (var (k, v) in patch.ToList()) json[k] = v?.DeepClone();
        string card = Path.Combine(Fixtures.TempFolder(), "card.json");
        File.WriteAllText(card, json.ToJsonString());
        var e = Assert.Throws<InputDataException>(() => DenoiserCard.Load(card));
        Assert.Contains("card.json", e.Message);
        Assert.Contains(message, e.Message);
    }
}
