using System.Globalization;

namespace Replication.Reporting.Metrics;

/// <summary>
/// The one way a replication threshold is asked for, parsed once (<c>auto</c>, <c>training</c>, <c>paper</c> or a number) and used by the
/// scan, the sweep, the per-class study, the case study and every figure: a fixed number, the training set's calibrated 1%
/// point (falling back to the paper's value when it cannot be estimated), or the paper's 0.5. The scan's <c>ThresholdChoice</c>
/// turns it into the number applied, with its reason, for the scan, the sweep and the case study alike.
/// </summary>
public sealed record ThresholdPolicy
{
    /// <summary>The paper's threshold: Section 7's for SSCD (similarity above 0.5), chosen without a stated calibration.</summary>
    public const double PaperValue = 0.5;

    /// <summary>The share of training images allowed above a calibrated threshold against their nearest other training image.</summary>
    public const double CalibrationExceedance = 0.01;

    private ThresholdPolicy(ThresholdRule rule, double value)
    {
        Rule = rule;
        Value = value;
    }

    public ThresholdRule Rule { get; }

    /// <summary>The number for <see cref="ThresholdRule.Given"/> and <see cref="ThresholdRule.Paper"/>; NaN for calibrated.</summary>
    public double Value { get; }

    /// <summary>The given or paper value; null when it is calibrated on the data.</summary>
    public double? Fixed => Rule is ThresholdRule.Calibrated or ThresholdRule.Training ? null : Value;

    /// <summary>Whether the threshold is measured on the data (auto or training) rather than given.</summary>
    public bool IsCalibrated => Fixed is null;

    public static ThresholdPolicy Auto { get; } = new(ThresholdRule.Calibrated, double.NaN);

    public static ThresholdPolicy Paper { get; } = new(ThresholdRule.Paper, PaperValue);

    /// <summary>The training set's 1% point, never the model card's calibration.</summary>
    public static ThresholdPolicy Training { get; } = new(ThresholdRule.Training, double.NaN);

    public static ThresholdPolicy Given(double value, string parameter = "Threshold") => double.IsFinite(value)
        ? new(ThresholdRule.Given, value)
        : throw new ParameterException(parameter, value, "must be a finite number");

    /// <summary><c>auto</c>, <c>paper</c> or a number (invariant culture); anything else names <paramref name="parameter"/>.</summary>
    public static ThresholdPolicy Parse(string text, string parameter = "Threshold")
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto;
        if (t.Equals("paper", StringComparison.OrdinalIgnoreCase)) return Paper;
        if (t.Equals("training", StringComparison.OrdinalIgnoreCase)) return Training;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) return Given(v, parameter);
        throw new ParameterException(parameter, text, "neither auto, training, paper nor a number");
    }

    public override string ToString() => Rule switch
    {
        ThresholdRule.Calibrated => "auto",
        ThresholdRule.Training => "training",
        ThresholdRule.Paper => "paper",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}
