using System.Numerics.Tensors;
using Replication.Core;
using Replication.Core.Vectors;

namespace Replication.Reporting.Metrics;

/// <summary>
/// The kernel distance (KID; Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean discrepancy between two
/// sets of feature vectors under the cubic polynomial kernel k(x, y) = (x·y / d + 1)³, as torch-fidelity and clean-fid compute
/// it: <c>subsets</c> times, <c>subsetSize</c> rows are drawn without replacement from each set (seeded) and the estimate
/// is taken on them; the mean and standard deviation over subsets are reported. Unlike the Fréchet distance it has no bias
/// that depends on the sample size, so it compares sets of a few hundred images. With sets of different sizes the estimate is
/// 1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(n(n−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(mn) Σ k(xᵢ, yⱼ) (torch-fidelity's, for m = n).
/// On an extractor's features this is "KID on (model) features"; it is the published KID only on the FID Inception network.
/// </summary>
public static class KernelDistance
{
    public const int DefaultSubsets = 100;
    public const int DefaultSubsetSize = 1000;

    /// <summary>The mean and (population) standard deviation over subsets. The subset size is the smaller of
    /// <paramref name="subsetSize"/> and the two sets' sizes (clean-fid's choice; torch-fidelity refuses a larger one).</summary>
    public static KernelDistanceEstimate Estimate(IVectorSource a, IVectorSource b, int subsets = DefaultSubsets,
        int subsetSize = DefaultSubsetSize, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfLessThan(subsets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subsetSize, 2);
        if (a.Dimension != b.Dimension) throw new ArgumentException($"dimensions differ: {a.Dimension} and {b.Dimension}");
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException("each set needs at least 2 vectors");
        int d = a.Dimension;
        var x = ReadAll(a);
        var y = ReadAll(b);
        int m = (int)a.Count, n = (int)b.Count;
        int s = Math.Min(subsetSize, Math.Min(m, n));
        var values = new double[subsets];
        var xs = new float[s * d];
        var ys = new float[s * d];
        ulong state = seed;
        for (int k = 0; k < subsets; k++)
        {
            // a different, reproducible draw per subset and per side, from one SplitMix64 stream of the seed
            Gather(x, d, SeededPermutation.Create(m, SeededPermutation.Next(ref state)), s, xs);
            Gather(y, d, SeededPermutation.Create(n, SeededPermutation.Next(ref state)), s, ys);
            values[k] = Unbiased(xs, s, ys, s, d);
        }
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / subsets); // np.std, as torch-fidelity reports it
        return new KernelDistanceEstimate(mean, sd, subsets, s);
    }

    /// <summary>The unbiased squared MMD of all rows of <paramref name="x"/> (m × d) against all rows of <paramref name="y"/>
    /// (n × d): dot products in float with SIMD (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>),
    /// sums in double. <see cref="UnbiasedScalar"/> is the reference it is tested against.</summary>
    public static double Unbiased(ReadOnlySpan<float> x, int m, ReadOnlySpan<float> y, int n, int d) => Mmd(x, m, y, n, d, scalar: false);

    /// <summary>The same estimate with every dot product accumulated in double, one element at a time.</summary>
    public static double UnbiasedScalar(ReadOnlySpan<float> x, int m, ReadOnlySpan<float> y, int n, int d) => Mmd(x, m, y, n, d, scalar: true);

    /// <summary>(x·y / d + 1)³ with the dot product in double.</summary>
    public static double Kernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double dot = 0;
        for (int i = 0; i < x.Length; i++) dot += (double)x[i] * y[i];
        return Cube(dot / x.Length + 1);
    }

    private static double Mmd(ReadOnlySpan<float> x, int m, ReadOnlySpan<float> y, int n, int d, bool scalar)
    {
        if (m < 2 || n < 2) throw new ArgumentException("each set needs at least 2 vectors");
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (x.Length < (long)m * d || y.Length < (long)n * d) throw new ArgumentException("a set holds fewer values than rows × dimension");
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++) xx += K(x.Slice(i * d, d), x.Slice(j * d, d), scalar);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) yy += K(y.Slice(i * d, d), y.Slice(j * d, d), scalar);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) xy += K(x.Slice(i * d, d), y.Slice(j * d, d), scalar);
        return 2 * xx / ((double)m * (m - 1)) + 2 * yy / ((double)n * (n - 1)) - 2 * xy / ((double)m * n);
    }

    private static double K(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool scalar) =>
        scalar ? Kernel(a, b) : Cube((double)TensorPrimitives.Dot(a, b) / a.Length + 1);

    private static double Cube(double v) => v * v * v;

    private static float[] ReadAll(IVectorSource source)
    {
        var all = new float[checked((int)source.Count * source.Dimension)];
        source.ReadRows(0, (int)source.Count, all);
        return all;
    }

    private static void Gather(float[] rows, int d, int[] order, int count, float[] destination)
    {
        for (int i = 0; i < count; i++) rows.AsSpan(order[i] * d, d).CopyTo(destination.AsSpan(i * d, d));
    }
}
