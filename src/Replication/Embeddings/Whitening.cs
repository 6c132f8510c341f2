using System.Numerics.Tensors;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Replication.Core.Files;
using Replication.Core.Formats;
using Replication.Core.Vectors;

namespace Replication.Embeddings;

/// <summary>
/// Centring and whitening of embeddings (beyond the paper): fitted on the training embeddings, applied to training and
/// generated rows alike before the similarity normalises them. Whitening maps x to (x − μ)·V·Λ^(−1/2) with V, Λ the
/// eigenvectors and eigenvalues of the training covariance: the sample covariance (<see cref="WhiteningMode.Whiten"/>, needs
/// more rows than dimensions) or the Ledoit–Wolf shrunk one, (1 − s)·S + s·(tr S / D)·I with s as in scikit-learn's
/// <c>ledoit_wolf_shrinkage</c> (<see cref="WhiteningMode.WhitenShrunk"/>). Stored beside the training embeddings as
/// <c>whitening.npy</c> (row 0 = μ, rows 1..D = the transposed projection) and <c>whitening.json</c>.
/// </summary>
public sealed class Whitening
{
    public const string MatrixFile = "whitening.npy";
    public const string InfoFile = "whitening.json";

    private Whitening(WhiteningMode mode, float[] mean, float[]? projectionT, int dimension, int rows, double shrinkage)
    {
        Mode = mode;
        Mean = mean;
        ProjectionT = projectionT;
        Dimension = dimension;
        TrainingRows = rows;
        Shrinkage = shrinkage;
    }

    public WhiteningMode Mode { get; }
    public float[] Mean { get; }
    /// <summary>Row j = column j of the projection (D × D, row-major); null for centring only.</summary>
    public float[]? ProjectionT { get; }
    public int Dimension { get; }
    public int TrainingRows { get; }
    /// <summary>The Ledoit–Wolf shrinkage s in [0, 1] (0 for the sample covariance).</summary>
    public double Shrinkage { get; }

    /// <summary>A one-line reason why <paramref name="mode"/> cannot be fitted on <paramref name="rows"/> rows of
    /// <paramref name="dimension"/>, or null (checked before any embedding starts).</summary>
    public static string? Refusal(WhiteningMode mode, long rows, int dimension, bool chunked) => mode switch
    {
        WhiteningMode.None => null,
        _ when chunked => "whitening applies to vector embeddings compared by cosine, not to chunked or token similarities",
        _ when rows < 2 => $"needs at least 2 training images, there are {rows}",
        WhiteningMode.Whiten when rows <= dimension => $"the sample covariance of {rows} training images cannot be inverted in {dimension} dimensions (needs more images than dimensions); use whiten-shrunk (Ledoit–Wolf)",
        _ => null,
    };

    public static string Name(WhiteningMode mode) => mode switch
    {
        WhiteningMode.None => "none",
        WhiteningMode.Center => "center",
        WhiteningMode.Whiten => "whiten",
        _ => "whiten-shrunk",
    };

    public static WhiteningMode Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => WhiteningMode.None,
        "center" or "centre" => WhiteningMode.Center,
        "whiten" => WhiteningMode.Whiten,
        "whiten-shrunk" or "whiten-lw" => WhiteningMode.WhitenShrunk,
        _ => throw new ParameterException("Whiten", name, "unknown whitening (none, center, whiten, whiten-shrunk)"),
    };

    public static Whitening Fit(IVectorSource training, WhiteningMode mode)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (mode == WhiteningMode.None) throw new ArgumentException("nothing to fit for whitening 'none'", nameof(mode));
        int d = training.Dimension;
        long n = training.Count;
        if (Refusal(mode, n, d, chunked: false) is { } why) throw new ParameterException("Whiten", Name(mode), why);
        int block = Math.Max(1, Math.Min(1024, (64 << 20) / (8 * d)));
        var buf = new float[(long)block * d];
        var sum = new double[d];
        for (long r0 = 0; r0 < n; r0 += block)
        {
            int m = (int)Math.Min(block, n - r0);
            training.ReadRows(r0, m, buf);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < d; j++) sum[j] += buf[i * d + j];
        }
        var mean = sum.Select(s => (float)(s / n)).ToArray();
        if (mode == WhiteningMode.Center) return new Whitening(mode, mean, null, d, (int)n, 0);

        // second pass: centred scatter matrix and Σ_k ‖x_k‖⁴ for the shrinkage
        var scatter = Matrix<double>.Build.Dense(d, d);
        double fourth = 0;
        for (long r0 = 0; r0 < n; r0 += block)
        {
            int m = (int)Math.Min(block, n - r0);
            training.ReadRows(r0, m, buf);
            var x = Matrix<double>.Build.Dense(m, d);
            for (int i = 0; i < m; i++)
            {
                double sq = 0;
                for (int j = 0; j < d; j++)
                {
                    double v = buf[i * d + j] - mean[j];
                    x[i, j] = v;
                    sq += v * v;
                }
                fourth += sq * sq;
            }
            scatter += x.TransposeThisAndMultiply(x);
        }
        var cov = scatter / n;
        double shrinkage = 0;
        if (mode == WhiteningMode.WhitenShrunk)
        {
            double trace = cov.Trace(), mu = trace / d;
            double delta_ = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) delta_ += cov[i, j] * cov[i, j];
            double beta = 1.0 / ((double)d * n) * (fourth / n - delta_);
            double delta = (delta_ - 2.0 * mu * trace + d * mu * mu) / d;
            beta = Math.Min(beta, delta);
            shrinkage = beta <= 0 || delta <= 0 ? 0 : beta / delta;
            cov = cov * (1 - shrinkage) + Matrix<double>.Build.DenseIdentity(d) * (shrinkage * mu);
        }
        var evd = cov.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        double largest = values.Max();
        if (!(largest > 0)) throw new InputDataException($"{training.Description}: the training embeddings do not vary; nothing to whiten");
        var projT = new float[(long)d * d];
        for (int j = 0; j < d; j++)
        {
            double lambda = values[j];
            if (mode == WhiteningMode.Whiten && lambda <= largest * 1e-10)
                throw new InputDataException($"{training.Description}: the training covariance is singular in {d} dimensions; use whiten-shrunk");
            double scale = 1 / Math.Sqrt(Math.Max(lambda, largest * 1e-10));
            for (int i = 0; i < d; i++) projT[(long)j * d + i] = (float)(evd.EigenVectors[i, j] * scale);
        }
        return new Whitening(mode, mean, projT, d, (int)n, shrinkage);
    }

    /// <summary>Transforms rows in place.</summary>
    public void Apply(Span<float> rows)
    {
        int d = Dimension;
        if (rows.Length % d != 0) throw new ArgumentException($"rows of {rows.Length} floats are not whole rows of {d}");
        var centred = new float[d];
        for (int off = 0; off < rows.Length; off += d)
        {
            var row = rows.Slice(off, d);
            TensorPrimitives.Subtract(row, Mean, centred);
            if (ProjectionT is null) { centred.CopyTo(row); continue; }
            for (int j = 0; j < d; j++) row[j] = TensorPrimitives.Dot(centred, ProjectionT.AsSpan(j * d, d));
        }
    }

    /// <summary>The rows of <paramref name="inner"/>, transformed as they are read.</summary>
    public IVectorSource Wrap(IVectorSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.Dimension != Dimension)
            throw new InputDataException($"{inner.Description}: {inner.Dimension} dimensions, the whitening was fitted on {Dimension}");
        return new Transformed(inner, this);
    }

    public void Save(string folder)
    {
        var data = new float[(long)(ProjectionT is null ? 1 : Dimension + 1) * Dimension];
        Mean.CopyTo(data, 0);
        ProjectionT?.CopyTo(data, Dimension);
        NpyWriter.Write(Path.Combine(folder, MatrixFile), data, Dimension);
        AtomicFile.WriteAllText(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(new Info(Name(Mode), Dimension, TrainingRows, Shrinkage), ModelCard.Json));
    }

    public static Whitening Load(string folder)
    {
        var info = JsonSerializer.Deserialize<Info>(File.ReadAllText(Path.Combine(folder, InfoFile)), ModelCard.Json)
                   ?? throw new InputDataException($"{Path.Combine(folder, InfoFile)}: empty");
        var data = NpyMatrix.ReadAll(Path.Combine(folder, MatrixFile), out long rows, out int columns);
        var mode = Parse(info.Mode);
        if (columns != info.Dimension || rows != (mode == WhiteningMode.Center ? 1 : columns + 1))
            throw new InputDataException($"{Path.Combine(folder, MatrixFile)}: shape ({rows}, {columns}) does not match {InfoFile}");
        return new Whitening(mode, data[..columns], mode == WhiteningMode.Center ? null : data[columns..], columns, info.TrainingRows, info.Shrinkage);
    }

    private sealed record Info(string Mode, int Dimension, int TrainingRows, double Shrinkage);

    private sealed class Transformed(IVectorSource inner, Whitening whitening) : IVectorSource
    {
        public long Count => inner.Count;
        public int Dimension => inner.Dimension;
        public string Description => inner.Description + " (" + Name(whitening.Mode) + ")";

        public void ReadRows(long start, int count, Span<float> destination)
        {
            inner.ReadRows(start, count, destination);
            whitening.Apply(destination[..(count * Dimension)]);
        }
    }
}
