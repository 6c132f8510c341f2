using MathNet.Numerics.LinearAlgebra;
using Replication.Core.Vectors;

namespace Replication.Reporting.Metrics;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two sets of feature vectors:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½), with covariances normalised by n − 1 (as pytorch-fid's np.cov).
/// The trace of the cross term is computed from the eigenvalues of the symmetric Σ₁^½ Σ₂ Σ₁^½ (the same value as
/// Tr √(Σ₁Σ₂) that scipy's sqrtm gives, without a non-symmetric square root; tiny negative eigenvalues from rounding
/// count as 0). On an extractor's features this is a "Fréchet distance on (model) features"; it is FID only on the
/// pool3 features of the FID Inception network.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(IVectorSource a, IVectorSource b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dimension != b.Dimension) throw new ArgumentException($"dimensions differ: {a.Dimension} and {b.Dimension}");
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException("each set needs at least 2 vectors");
        var (m1, s1) = MeanAndCovariance(a);
        var (m2, s2) = MeanAndCovariance(b);
        return Compute(m1, s1, m2, s2);
    }

    public static double Compute(Vector<double> mean1, Matrix<double> cov1, Vector<double> mean2, Matrix<double> cov2)
    {
        var diff = mean1 - mean2;
        var root1 = SymmetricSqrt(cov1);
        var middle = root1 * cov2 * root1;
        middle = (middle + middle.Transpose()) * 0.5;
        double traceRoot = middle.Evd(Symmetricity.Symmetric).EigenValues.Sum(e => Math.Sqrt(Math.Max(0, e.Real)));
        return diff.DotProduct(diff) + cov1.Trace() + cov2.Trace() - 2 * traceRoot;
    }

    public static Matrix<double> SymmetricSqrt(Matrix<double> m)
    {
        var evd = ((m + m.Transpose()) * 0.5).Evd(Symmetricity.Symmetric);
        var roots = evd.EigenValues.Select(e => Math.Sqrt(Math.Max(0, e.Real))).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(roots) * evd.EigenVectors.Transpose();
    }

    /// <summary>Mean and unbiased covariance, streamed in blocks of rows (accumulated in double).</summary>
    public static (Vector<double> Mean, Matrix<double> Covariance) MeanAndCovariance(IVectorSource source)
    {
        int d = source.Dimension;
        long n = source.Count;
        var sum = new double[d];
        var block = new float[Math.Max(1, Math.Min(n, 4096 * 64 / Math.Max(1, d) + 1)) * d];
        int rowsPerBlock = block.Length / d;
        for (long start = 0; start < n; start += rowsPerBlock)
        {
            int count = (int)Math.Min(rowsPerBlock, n - start);
            source.ReadRows(start, count, block.AsSpan(0, count * d));
            for (int r = 0; r < count; r++)
                for (int j = 0; j < d; j++) sum[j] += block[r * d + j];
        }
        var mean = Vector<double>.Build.Dense(sum.Select(s => s / n).ToArray());
        var cov = Matrix<double>.Build.Dense(d, d);
        var centred = Matrix<double>.Build.Dense(rowsPerBlock, d);
        for (long start = 0; start < n; start += rowsPerBlock)
        {
            int count = (int)Math.Min(rowsPerBlock, n - start);
            source.ReadRows(start, count, block.AsSpan(0, count * d));
            var x = count == rowsPerBlock ? centred : Matrix<double>.Build.Dense(count, d);
            for (int r = 0; r < count; r++)
                for (int j = 0; j < d; j++) x[r, j] = block[r * d + j] - mean[j];
            cov += x.TransposeThisAndMultiply(x);
        }
        return (mean, cov / (n - 1));
    }
}
