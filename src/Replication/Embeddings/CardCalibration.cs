using System.Globalization;

namespace Replication.Embeddings;

/// <summary>
/// A model card's replica threshold, calibrated on pairs of unrelated images as SSCD calibrates its 0.5: only
/// <see cref="Exceedance"/> of the <see cref="Pairs"/> unrelated pairs score above <see cref="Threshold"/>. Written by
/// <c>replication calibrate --write-card</c>; a scan with the automatic threshold applies it when the card's own similarity is
/// used without whitening (the conditions it was measured under).
/// </summary>
public sealed record CardCalibration
{
    public required double Threshold { get; init; }

    /// <summary>The share of unrelated pairs that score above <see cref="Threshold"/> (the per-pair false-positive rate).</summary>
    public required double Exceedance { get; init; }

    /// <summary>How many unrelated pairs were scored.</summary>
    public required long Pairs { get; init; }

    public int Images { get; init; }

    /// <summary>What the unrelated pairs were (the manifest and how pairs were chosen).</summary>
    public string Set { get; init; } = "";

    /// <summary>Checks the fields; the message names the card.</summary>
    public void Validate(string where)
    {
        if (!double.IsFinite(Threshold)) throw new InputDataException($"{where}: 'calibration.threshold' must be a finite number");
        if (!(Exceedance > 0 && Exceedance < 1)) throw new InputDataException($"{where}: 'calibration.exceedance' must be between 0 and 1, not {Exceedance.ToString(CultureInfo.InvariantCulture)}");
        if (Pairs < 1) throw new InputDataException($"{where}: 'calibration.pairs' must be positive");
    }

    /// <summary>The chance that a generation which copies none of <paramref name="trainingImages"/> unrelated training images scores
    /// above the threshold against at least one of them, if pairs exceeded it independently at the calibrated rate.</summary>
    public double FalseFlagProbability(long trainingImages) => trainingImages <= 0 ? 0 : -double.ExpM1(trainingImages * double.LogP1(-Exceedance));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Threshold:0.000}: {Exceedance:0.####%} of {Pairs:N0} unrelated pairs score above it");
}
