using System.Diagnostics;
using Replication.Core.Compute;
using Replication.Core;
using Replication.Core.Vectors;
using Replication.Embeddings;

namespace Replication.Search.Approximate;

/// <summary>
/// Approximate top-k through an <see cref="HnswIndex"/>, always with its recall against exact search (<see cref="ExactSearch"/>,
/// the reference) on the same queries: all of them, or a seeded sample of <c>recallQueries</c> when there are more.
/// Both searches ask for at least 10 matches so that recall@10 is measured whatever k is.
/// </summary>
public static class ApproximateSearch
{
    public const int DefaultRecallQueries = 1000;

    public static ApproximateSearchResult Run(IVectorSource queries, IVectorSource gallery, HnswIndex index, int k,
        int expansionSearch = HnswSettings.DefaultExpansionSearch, int recallQueries = DefaultRecallQueries, ulong seed = 0,
        ComputeDevice device = ComputeDevice.Cpu, long memoryBudgetBytes = SearchMemory.DefaultBudgetBytes, long[]? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recallQueries);
        ExactSearch.Check(queries, gallery);
        int nq = checked((int)queries.Count);
        if (exclude is not null && exclude.Length != nq)
            throw new InputDataException($"the exclusions give {exclude.Length} rows for {nq} queries");
        int kk = Math.Max(k, 10);
        var watch = Stopwatch.StartNew();
        var approx = index.Search(queries, kk, expansionSearch, exclude);
        double searchSeconds = watch.Elapsed.TotalSeconds;

        // the same queries (or a seeded sample of them) searched exactly
        long[] sample = recallQueries >= nq
            ? Enumerable.Range(0, nq).Select(i => (long)i).ToArray()
            : SeededPermutation.Create(nq, seed).Take(recallQueries).Order().Select(i => (long)i).ToArray();
        watch.Restart();
        var exact = ExactSearch.Search(new RowSubset(queries, sample), gallery, Similarity.InnerProduct, exclude is null ? kk : kk + 1, device,
            memoryBudgetBytes: memoryBudgetBytes);
        if (exclude is not null) exact = WithoutExcluded(exact, sample.Select(q => exclude[q]).ToArray(), kk);
        double exactSeconds = watch.Elapsed.TotalSeconds;
        var approxSample = Rows(approx, sample);
        var recall = new RecallReport(nq, sample.Length, Recall.At(approxSample, exact, 1), Recall.At(approxSample, exact, 10), exactSeconds);
        return new ApproximateSearchResult(k == kk ? approx : Rows(approx, null, k), recall, HnswIndex.EffectiveExpansion(kk, expansionSearch), searchSeconds);
    }

    /// <summary>Each query's results without its excluded row (-1: none), the first <paramref name="k"/> kept.</summary>
    internal static SearchResult WithoutExcluded(SearchResult result, long[] excluded, int k)
    {
        var scores = new float[result.Queries * k];
        var indices = new long[result.Queries * k];
        Array.Fill(scores, float.NaN);
        Array.Fill(indices, -1L);
        for (int q = 0; q < result.Queries; q++)
        {
            int kept = 0;
            for (int r = 0; r < result.K && kept < k; r++)
            {
                long id = result.IndicesOf(q)[r];
                if (id < 0 || id == excluded[q]) continue;
                scores[q * k + kept] = result.ScoresOf(q)[r];
                indices[q * k + kept++] = id;
            }
        }
        return new SearchResult(result.Queries, k, scores, indices) { NonFiniteQueries = result.NonFiniteQueries, NonFiniteGallery = result.NonFiniteGallery };
    }

    /// <summary>Chosen query rows of a result (all when null), keeping the first <paramref name="k"/> matches (all when null).</summary>
    internal static SearchResult Rows(SearchResult result, long[]? rows, int? k = null)
    {
        int kk = k ?? result.K;
        int n = rows?.Length ?? result.Queries;
        var scores = new float[n * kk];
        var indices = new long[n * kk];
        for (int i = 0; i < n; i++)
        {
            int q = rows is null ? i : (int)rows[i];
            result.ScoresOf(q)[..kk].CopyTo(scores.AsSpan(i * kk, kk));
            result.IndicesOf(q)[..kk].CopyTo(indices.AsSpan(i * kk, kk));
        }
        return new SearchResult(n, kk, scores, indices) { NonFiniteQueries = rows is null ? result.NonFiniteQueries : [] };
    }
}
