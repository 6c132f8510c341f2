using System.Diagnostics;
using System.Text.Json;
using Replication.Data.Diffusion;

namespace Replication.Analyses.Benchmark;

/// <summary>
/// Sampling throughput of a denoiser in C# (ONNX Runtime, <see cref="DiffusionSampler"/>) and, as the peer in the same run,
/// the PyTorch sampler of models/ddpm/train_ddpm.py on the same weights (its run folder's EMA checkpoint) with the same
/// thread count, batch and steps. Both start from fresh noise; the timed part is the reverse process alone.
/// </summary>
public static class SamplingBenchmark
{
    public sealed record Result(string Sampler, int Batch, int Steps, double ImagesPerSecond, double Seconds, int Threads);

    public static Result CSharp(string card, int batch, int steps, int threads, int repeats = 2)
    {
        using var denoiser = new OnnxDenoiser(DenoiserCard.Load(card), threads: threads);
        var sampler = new DiffusionSampler(denoiser, new SamplerSettings(SamplerKind.Ddim, steps));
        _ = sampler.Sample(Enumerable.Range(0, batch).Select(i => new NoiseStream(99, i)).ToList()); // warm-up
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var streams = Enumerable.Range(0, batch).Select(i => new NoiseStream((ulong)r, i)).ToList();
            var clock = Stopwatch.StartNew();
            _ = sampler.Sample(streams);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return new Result("C# ONNX Runtime", batch, steps, batch / best, best, threads);
    }

    /// <summary>The PyTorch peer (null when the interpreter cannot import PyTorch), with the same thread count as the C# side.</summary>
    public static Result? PyTorch(string run, int batch, int steps, int threads, int repeats = 2)
    {
        string python = TrainingRunner.Python();
        try { TrainingRunner.CheckEnvironment(python); }
        catch (EnvironmentException) { return null; }
        Result? best = null;
        for (int r = 0; r <= repeats; r++) // the first run warms up
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { TrainingRunner.Script(), "sample", "--run", run, "--count", $"{batch}", "--steps", $"{steps}", "--threads", $"{threads}", "--seed", $"{r}" })
                start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"the PyTorch sampler failed: {err.Result.Trim().Split('\n')[^1]}");
            if (r == 0) continue;
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            double seconds = json.RootElement.GetProperty("seconds").GetDouble();
            if (best is null || seconds < best.Seconds) best = new Result("PyTorch", batch, steps, batch / seconds, seconds, threads);
        }
        return best;
    }
}
