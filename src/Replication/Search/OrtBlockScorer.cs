using Microsoft.ML.OnnxRuntime;
using Replication.Compute;

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
        // [ng, C, d] → [C, ng, d]: contiguous runs of d floats
        int size = ng * Dimension;
        if (_gallery.Length < size) _gallery = new float[size];
        int d = ChunkSize;
        for (int c = 0; c < Chunks; c++)
            for (int g = 0; g < ng; g++)
                gallery.AsSpan(g * Dimension + c * d, d).CopyTo(_gallery.AsSpan((c * ng + g) * d, d));
    }

    /// <summary>[nq, C, d] → [C, d, nq], by small square tiles so that reads and writes stay in cache.</summary>
    private float[] QueryLayout(float[] queries, int nq)
    {
        if (!Chunked) return queries;
        int size = nq * Dimension;
        if (_queries.Length < size) _queries = new float[size];
        int d = ChunkSize;
        const int T = 32;
        var src = queries;
        var dst = _queries;
        for (int c = 0; c < Chunks; c++)
            for (int q0 = 0; q0 < nq; q0 += T)
                for (int t0 = 0; t0 < d; t0 += T)
                {
                    int q1 = Math.Min(q0 + T, nq), t1 = Math.Min(t0 + T, d);
                    for (int q = q0; q < q1; q++)
                    {
                        int s = q * Dimension + c * d;
                        for (int t = t0; t < t1; t++)
                            dst[(c * d + t) * nq + q] = src[s + t];
                    }
                }
        return _queries;
    }

    private (OrtValue Queries, OrtValue Gallery) Inputs(float[] queries, int nq)
    {
        var q = QueryLayout(queries, nq);
        long[] qShape = Chunked ? [Chunks, ChunkSize, nq] : [nq, Dimension];
        long[] gShape = Chunked ? [Chunks, _ng, ChunkSize] : [_ng, Dimension];
        return (OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, q.AsMemory(0, nq * Dimension), qShape),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _gallery.AsMemory(0, _ng * Dimension), gShape));
    }

    /// <summary>
    /// Scores <paramref name="nq"/> prepared query rows against the current gallery block and calls <paramref name="take"/>
    /// with each query's best min(k, ng) (score, block-local index) pairs, best first.
    /// </summary>
    public void ScoreTopK(float[] queries, int nq, int k, Action<int, ReadOnlySpan<float>, ReadOnlySpan<long>> take)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(take);
        if (!TopK) throw new InvalidOperationException("this scorer was built without top-k");
        int kk = Math.Min(k, _ng);
        if (kk == 0 || nq == 0) return;
        var kArray = new long[] { kk };
        var (q, g) = Inputs(queries, nq);
        using (q)
        using (g)
        using (var kv = OrtValue.CreateTensorValueFromMemory(kArray, [1]))
        using (var outputs = _session.Run(_run, InputNames, [q, g, kv], OutputNames))
        {
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            var indices = outputs[1].GetTensorDataAsSpan<long>();
            if (!Chunked)
            {
                for (int i = 0; i < nq; i++)
                    take(i, scores.Slice(i * kk, kk), indices.Slice(i * kk, kk));
                return;
            }
            // [k, nq]: gather each query's column
            var s = new float[kk];
            var ix = new long[kk];
            for (int i = 0; i < nq; i++)
            {
                for (int r = 0; r < kk; r++) { s[r] = scores[r * nq + i]; ix[r] = indices[r * nq + i]; }
                take(i, s, ix);
            }
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
        var (q, g) = Inputs(queries, nq);
        using (q)
        using (g)
        using (var outputs = _session.Run(_run, ScoreInputs, [q, g], ScoreOutput))
        {
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            if (!Chunked)
            {
                for (int i = 0; i < nq; i++) take(i, scores.Slice(i * _ng, _ng));
                return;
            }
            var row = new float[_ng];
            for (int i = 0; i < nq; i++)
            {
                for (int j = 0; j < _ng; j++) row[j] = scores[j * nq + i];
                take(i, row);
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
