namespace Replication.Reporting.Metrics;

/// <summary>Ordinary least-squares line y = Slope·x + Intercept, with the coefficient of determination.</summary>
public sealed record LinearFit(double Slope, double Intercept, double RSquared)
{
    public double At(double x) => Slope * x + Intercept;

    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"fit: y = {Slope:0.###}x {(Intercept < 0 ? "−" : "+")} {Math.Abs(Intercept):0.###} (R² = {RSquared:0.###})");

    public static LinearFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
            throw new ArgumentException("a line fit needs at least two (x, y) pairs of equal count");
        if (x.Distinct().Count() < 2)
            throw new ArgumentException("a line fit needs at least two different x values");
        var xs = x.ToArray();
        var ys = y.ToArray();
        var (intercept, slope) = MathNet.Numerics.Fit.Line(xs, ys);
        // R² of a least-squares line is the squared correlation of x and y; a constant y is fitted exactly
        double r2 = ys.Distinct().Count() < 2 ? 1 : MathNet.Numerics.GoodnessOfFit.RSquared(xs.Select(v => intercept + slope * v), ys);
        return new LinearFit(slope, intercept, r2);
    }
}
