using Microsoft.ML.OnnxRuntime;
using Replication.Core.Compute;
using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// Runs <see cref="SearchGraph"/> on one gallery block (set once with <see cref="SetGallery"/>) against tiles of queries:
/// each query's top k, or (built with <c>topK: false</c>) its whole row of scores. Rows come in row-major and already
/// prepared (<see cref="Similarity.Prepare"/>); for chunked metrics this class lays them out chunk-major itself (the gallery
/// once per block, a query tile per call), so that the graph runs plain batched GEMMs.
/// </summary>
public sealed class OrtBlockScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private static readonly string[] OutputNames = ["scores", "indices"];
    private static readonly string[] InputNames = ["queries", "gallery", "k"];
    private static readonly string[] ScoreOutput = ["scores"];
    private static readonly string[] ScoreInputs = ["queries", "gallery"];
    private float[] _gallery = [];
    private float[] _queries = [];
    private int _ng;

    public OrtBlockScorer(int dimension, Similarity similarity, ComputeDevice device, bool topK = true)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        Dimension = dimension;
        Similarity = similarity;
        TopK = topK;
        (_session, Device) = OrtSessionFactory.Create(SearchGraph.Build(dimension, similarity, topK), device, "the search graph");
    }

    public int Dimension { get; }
    public Similarity Similarity { get; }
    public ComputeDevice Device { get; }
    public bool TopK { get; }
    private bool Chunked => Similarity.IsChunked;
    private int Chunks => Similarity.Chunks;
    private int ChunkSize => Dimension / Similarity.Chunks;

    /// <summary>Takes <paramref name="ng"/> prepared gallery rows (row-major) as the block that following calls score against.</summary>
    public void SetGallery(float[] gallery, int ng)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        if (ng < 0 || (long)ng * Dimension > gallery.Length) throw new ArgumentOutOfRangeException(nameof(ng));
        _ng = ng;
        if (!Chunked) { _gallery = gallery; return; }
        int size = ng * Dimension;
        if (_gallery.Length < size) _gallery = new float[size];
        Regroup(gallery, ng, _gallery);                // [ng, C, d] → [C, ng, d]
    }

    /// <summary>[n, C, d] → [C, n, d]: contiguous runs of d floats.</summary>
    private void Regroup(float[] src, int n, float[] dst)
    {
        int d = ChunkSize;
        for (int c = 0; c < Chunks; c++)
            for (int r = 0; r < n; r++)
                src.AsSpan(r * Dimension + c * d, d).CopyTo(dst.AsSpan((c * n + r) * d, d));
    }

    private float[] QueryLayout(float[] queries, int nq)
    {
        if (!Chunked) return queries;
        int size = nq * Dimension;
        if (_queries.Length < size) _queries = new float[size];
        Regroup(queries, nq, _queries);                // [nq, C, d] → [C, nq, d]
        return _queries;
    }

    private (OrtValue Queries, OrtValue Gallery) Inputs(float[] queries, int nq, bool queriesUnchanged)
    {
        var q = queriesUnchanged && Chunked ? _queries : QueryLayout(queries, nq);
        long[] qShape = !Chunked ? [nq, Dimension] : [Chunks, nq, ChunkSize];
        long[] gShape = !Chunked ? [_ng, Dimension] : [Chunks, _ng, ChunkSize];
        return (OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, q.AsMemory(0, nq * Dimension), qShape),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _gallery.AsMemory(0, _ng * Dimension), gShape));
    }

    /// <summary>
    /// Scores <paramref name="nq"/> prepared query rows against the current gallery block and calls <paramref name="take"/>
    /// with each query's best min(k, ng) (score, block-local index) pairs, best first.
    /// </summary>
    /// <param name="queriesUnchanged">The same rows as the previous call: their chunk-major layout is reused.</param>
    public void ScoreTopK(float[] queries, int nq, int k, Action<int, ReadOnlySpan<float>, ReadOnlySpan<long>> take, bool queriesUnchanged = false)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(take);
        if (!TopK) throw new InvalidOperationException("this scorer was built without top-k");
        int kk = Math.Min(k, _ng);
        if (kk == 0 || nq == 0) return;
        var kArray = new long[] { kk };
        var (q, g) = Inputs(queries, nq, queriesUnchanged);
        using (q)
        using (g)
        using (var kv = OrtValue.CreateTensorValueFromMemory(kArray, [1]))
        using (var outputs = _session.Run(_run, InputNames, [q, g, kv], OutputNames))
        {
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            var indices = outputs[1].GetTensorDataAsSpan<long>();
            for (int i = 0; i < nq; i++)
                take(i, scores.Slice(i * kk, kk), indices.Slice(i * kk, kk));
        }
    }

    /// <summary>Scores <paramref name="nq"/> prepared query rows against the current gallery block and calls
    /// <paramref name="take"/> with each query's row of ng scores.</summary>
    public void ScoreAll(float[] queries, int nq, Action<int, ReadOnlySpan<float>> take)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(take);
        if (TopK) throw new InvalidOperationException("this scorer was built for top-k");
        if (_ng == 0 || nq == 0) return;
        var (q, g) = Inputs(queries, nq, false);
        using (q)
        using (g)
        using (var outputs = _session.Run(_run, ScoreInputs, [q, g], ScoreOutput))
        {
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            for (int i = 0; i < nq; i++) take(i, scores.Slice(i * _ng, _ng));
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
