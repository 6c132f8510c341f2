using System.Globalization;

namespace Replication.Reporting;

/// <summary>Round tick values for a chart axis (steps of 1, 2, 2.5 or 5 times a power of ten) and their labels.</summary>
public static class AxisTicks
{
    /// <summary>Ticks covering [min, max] with about <paramref name="target"/> intervals, all within the range.</summary>
    public static double[] For(double min, double max, int target = 5)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max)) return [min];
        double raw = (max - min) / Math.Max(1, target);
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * power).MinBy(s => Math.Abs(Math.Log(s / raw)));
        double first = Math.Ceiling(min / step - 1e-9) * step;
        var ticks = new List<double>();
        for (double v = first; v <= max + step * 1e-9; v = first + ticks.Count * step) ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        return ticks.ToArray();
    }

    /// <summary>A label with as many decimals as the step between ticks needs.</summary>
    public static string Label(double value, double step)
    {
        int decimals = step <= 0 ? 2 : Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9) + (IsTwoPointFive(step) ? 1 : 0), 0, 8);
        return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static bool IsTwoPointFive(double step)
    {
        double m = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        return Math.Abs(m - 2.5) < 1e-6;
    }
}
