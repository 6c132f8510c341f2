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
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0)
            throw new ArgumentException("a line fit needs at least two different x values");
        double slope = sxy / sxx;
        double r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        return new LinearFit(slope, my - slope * mx, r2);
    }
}
