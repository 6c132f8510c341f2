using System.Globalization;
using Replication.Embeddings;

namespace Replication.Analyses.Calibration;

/// <summary>The outcome of <see cref="UnrelatedPairCalibration"/>: the threshold at the asked exceedance, the quantiles at the
/// standard ones, and the highest-scoring unrelated pairs.</summary>
public sealed record PairCalibrationResult(
    string Model, int Images, int Groups, long Pairs, PairQuantile Chosen, IReadOnlyList<PairQuantile> Quantiles, IReadOnlyList<UnrelatedPair> Highest)
{
    /// <summary>What the pairs were, for the card's <c>calibration.set</c>.</summary>
    public string Set { get; init; } = "";

    public CardCalibration ToCard() => new()
    {
        // rounded up, never down: the scan counts scores strictly above, so a lower value would let more than the share through
        Threshold = Math.Ceiling(Chosen.Threshold * 1e4) / 1e4, Exceedance = Chosen.Exceedance, Pairs = Pairs, Images = Images, Set = Set,
    };

    public string Describe()
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{Model}: {Pairs:N0} unrelated pairs among {Images:N0} images in {Groups:N0} groups"),
            string.Create(CultureInfo.InvariantCulture, $"threshold {Chosen.Threshold:0.0000}: {Chosen.Above:N0} pairs ({(double)Chosen.Above / Pairs:0.#####%}) score above it (asked: {Chosen.Exceedance:0.#####%})"),
        };
        foreach (var q in Quantiles)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {q.Exceedance:0.#####%} of pairs above {q.Threshold:0.0000}"));
        lines.Add("highest-scoring unrelated pairs (copies among them mean the set is not clean):");
        foreach (var p in Highest.Take(5))
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {p.Score:0.000}  {p.First}  {p.Second}"));
        return string.Join(Environment.NewLine, lines);
    }
}
