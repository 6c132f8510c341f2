using Replication.Embeddings;

namespace Replication.Search;

/// <summary>
/// The score of one pair of raw (unprepared) embeddings under a <see cref="Similarity"/>, computed plainly: a copy of each row is
/// prepared as the search prepares it, then scored (inner product; the largest chunk-wise product; 1 − the largest per-tile RMS
/// difference). Used where a study compares named pairs (a generation and its own caption's source) rather than searching.
/// </summary>
public static class PairScore
{
    public static float Score(Similarity similarity, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        if (a.Length != b.Length) throw new ArgumentException($"the vectors have {a.Length} and {b.Length} values");
        if (a.Length == 0) throw new ArgumentException("empty vectors");
        similarity.Validate(a.Length);
        if (similarity.Kind == SimilarityKind.TiledL2) return ExactSearch.TiledL2Score(a, b, similarity.Chunks);
        var x = a.ToArray();
        var y = b.ToArray();
        similarity.Prepare(x, x.Length);
        similarity.Prepare(y, y.Length);
        int chunks = similarity.IsChunked ? similarity.Chunks : 1;
        int size = x.Length / chunks;
        double best = double.NegativeInfinity;
        for (int c = 0; c < chunks; c++)
        {
            double dot = 0;
            for (int i = c * size; i < (c + 1) * size; i++) dot += (double)x[i] * y[i];
            best = Math.Max(best, dot);
        }
        return (float)best;
    }
}
