using Microsoft.ML.OnnxRuntime;
using Replication.Compute;

namespace Replication.Search;

/// <summary>Runs <see cref="SearchGraph"/> on one tile of queries and one gallery block.</summary>
public sealed class OrtBlockScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private static readonly string[] OutputNames = ["scores", "indices"];
    private static readonly string[] InputNames = ["queries", "gallery", "k"];

    public OrtBlockScorer(int dimension, Similarity similarity, ComputeDevice device)
    {
        Dimension = dimension;
        Similarity = similarity;
        (_session, Device) = OrtSessionFactory.Create(SearchGraph.Build(dimension, similarity), device, "the search graph");
    }

    public int Dimension { get; }
    public Similarity Similarity { get; }
    public ComputeDevice Device { get; }

    /// <summary>
    /// Scores <paramref name="nq"/> normalised query rows against <paramref name="ng"/> normalised gallery rows and
    /// calls <paramref name="take"/> with each query's best min(k, ng) (score, block-local index) pairs, best first.
    /// </summary>
    public void ScoreTopK(float[] queries, int nq, float[] gallery, int ng, int k, Action<int, ReadOnlySpan<float>, ReadOnlySpan<long>> take)
    {
        int kk = Math.Min(k, ng);
        if (kk == 0 || nq == 0) return;
        var kArray = new long[] { kk };
        using var q = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, queries.AsMemory(0, nq * Dimension), [nq, Dimension]);
        using var g = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, gallery.AsMemory(0, ng * Dimension), [ng, Dimension]);
        using var kv = OrtValue.CreateTensorValueFromMemory(kArray, [1]);
        using var outputs = _session.Run(_run, InputNames, [q, g, kv], OutputNames);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        var indices = outputs[1].GetTensorDataAsSpan<long>();
        for (int i = 0; i < nq; i++)
            take(i, scores.Slice(i * kk, kk), indices.Slice(i * kk, kk));
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
