using System.Numerics.Tensors;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Analyses.Calibration;

/// <summary>
/// Calibrates a replica threshold on pairs of unrelated images, as SSCD calibrates its 0.5: every pair of images whose groups
/// differ is scored (exactly, no sampling), and the threshold is the score that only a stated share of those pairs exceed.
/// An image's group label may name several groups separated by ';' (for instance its folder and its near-duplicate group);
/// two images are related, and their pair left out, when they share any of them.
/// </summary>
public static class UnrelatedPairCalibration
{
    /// <summary>The exceedances always reported beside the asked one.</summary>
    public static IReadOnlyList<double> Standard { get; } = [1e-2, 1e-3, 1e-4, 1e-5];

    /// <summary>The largest set calibrated (all pairs are scored: 20,000 images are 200 million pairs).</summary>
    public const int MaxImages = 20_000;

    /// <summary>The fewest pairs that must score above the threshold for it to be estimated rather than read off the top pair.</summary>
    public const int MinimumAbove = 10;

    public const int HighestListed = 20;

    /// <summary>The largest exceedance calibrated (the highest scores are kept in memory: at most this share of the pairs).</summary>
    public const double MaxExceedance = 0.05;

    public static PairCalibrationResult Calibrate(IVectorSource rows, IReadOnlyList<string> ids, IReadOnlyList<string?> labels, Similarity similarity,
        double exceedance, string model = "")
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(similarity);
        if (!(exceedance > 0 && exceedance <= MaxExceedance)) throw new ParameterException("Exceedance", exceedance, $"must be above 0 and at most {MaxExceedance} (for instance 0.0001: one unrelated pair in 10,000 above the threshold)");
        int n = checked((int)rows.Count);
        if (ids.Count != n || labels.Count != n) throw new ArgumentException($"{rows.Count} rows but {ids.Count} ids and {labels.Count} labels");
        if (n > MaxImages) throw new ParameterException("Images", n, $"at most {MaxImages:N0} images are calibrated (every pair is scored)");
        int d = rows.Dimension;
        similarity.Validate(d);
        var tags = GroupTags(labels, ids);
        int groups = tags.SelectMany(t => t).Distinct().Count();
        if (groups < 2) throw new InputDataException("every image is in one group: no unrelated pairs (the label column names each image's group)");

        var data = new float[(long)n * d];
        rows.ReadRows(0, n, data);
        for (long i = 0; i < n; i++)
        {
            var row = data.AsSpan((int)(i * d), d);
            foreach (float v in row)
                if (!float.IsFinite(v)) throw new InputDataException($"{ids[(int)i]}: its embedding holds NaN or infinite values");
        }
        if (similarity.Kind != SimilarityKind.TiledL2)
            for (int i = 0; i < n; i++) similarity.Prepare(data.AsSpan(i * d, d), d);

        long pairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (!Related(tags[i], tags[j])) pairs++;
        long keepAbove = (long)Math.Floor(Math.Max(exceedance, Standard.Max()) * pairs);
        long askedAbove = (long)Math.Floor(exceedance * pairs);
        if (askedAbove < MinimumAbove)
            throw new ParameterException("Exceedance", exceedance, $"leaves {askedAbove} of the {pairs:N0} unrelated pairs above the threshold; at least {MinimumAbove} are needed (use more images or a larger exceedance: {MinimumAbove / (double)pairs:G2} at least)");
        int keep = checked((int)Math.Min(keepAbove + 1, int.MaxValue));

        // the highest scores, kept per row block and merged: a min-heap of the best 'keep' scores
        var merged = new PriorityQueue<float, float>();
        var highest = new PriorityQueue<(int I, int J, float S), float>();
        var gate = new object();
        Parallel.For(0, n, () => (Top: new PriorityQueue<float, float>(), High: new PriorityQueue<(int, int, float), float>()), (i, _, local) =>
        {
            var a = data.AsSpan(i * d, d);
            for (int j = i + 1; j < n; j++)
            {
                if (Related(tags[i], tags[j])) continue;
                float s = Score(similarity, a, data.AsSpan(j * d, d));
                Offer(local.Top, s, s, keep);
                Offer(local.High, (i, j, s), s, HighestListed);
            }
            return local;
        }, local =>
        {
            lock (gate)
            {
                while (local.Top.TryDequeue(out float s, out _)) Offer(merged, s, s, keep);
                while (local.High.TryDequeue(out var p, out float s)) Offer(highest, p, s, HighestListed);
            }
        });
        var descending = new float[merged.Count];
        for (int k = descending.Length - 1; k >= 0; k--) descending[k] = merged.Dequeue();
        var top = new List<(int I, int J, float S)>();
        while (highest.TryDequeue(out var p, out _)) top.Add(p);
        top = top.OrderByDescending(p => p.S).ThenBy(p => p.I).ThenBy(p => p.J).ToList(); // ties in a stable order

        PairQuantile At(double e)
        {
            long m = (long)Math.Floor(e * pairs);
            double t = m < descending.Length ? descending[m] : descending[^1];
            long above = descending.LongCount(v => v > t);
            return new PairQuantile(e, t, above);
        }
        var quantiles = Standard.Where(e => Math.Floor(e * pairs) >= 1).Select(At).ToList();
        return new PairCalibrationResult(model, n, groups, pairs, At(exceedance), quantiles,
            top.Select(p => new UnrelatedPair(ids[p.I], ids[p.J], p.S)).ToList());
    }

    private static void Offer<T>(PriorityQueue<T, float> heap, T item, float score, int capacity)
    {
        if (heap.Count < capacity) heap.Enqueue(item, score);
        else if (heap.TryPeek(out _, out float least) && score > least) heap.DequeueEnqueue(item, score);
    }

    private static float Score(Similarity similarity, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        switch (similarity.Kind)
        {
            case SimilarityKind.TiledL2:
                return ExactSearch.TiledL2Score(a, b, similarity.Chunks);
            case SimilarityKind.InnerProduct:
                return TensorPrimitives.Dot(a, b);
            default:
                int size = a.Length / similarity.Chunks;
                float best = float.NegativeInfinity;
                for (int c = 0; c < similarity.Chunks; c++)
                    best = Math.Max(best, TensorPrimitives.Dot(a.Slice(c * size, size), b.Slice(c * size, size)));
                return best;
        }
    }

    private static bool Related(int[] a, int[] b)
    {
        foreach (int x in a)
            foreach (int y in b)
                if (x == y) return true;
        return false;
    }

    /// <summary>Each image's groups as small integers; an image without a label is refused (naming it).</summary>
    private static int[][] GroupTags(IReadOnlyList<string?> labels, IReadOnlyList<string> ids)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[labels.Count][];
        for (int i = 0; i < labels.Count; i++)
        {
            var parts = (labels[i] ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
                throw new InputDataException($"{ids[i]}: no group in its label; every image needs one (the label column names each image's group; pairs within a group are not counted as unrelated)");
            result[i] = parts.Select(p => index.TryGetValue(p, out int k) ? k : index[p] = index.Count).Distinct().ToArray();
        }
        return result;
    }
}
