using Replication.Reporting.Metrics;
using Replication.Embeddings;

namespace Replication.Analyses.PerClass;

/// <param name="Excluded">Classes that cannot be scored, with why (no generations, fewer training images than the study's minimum, not a training class).</param>
/// <param name="Correlation">Pearson r between the per-class max generation top-1 and mean training self top-1, with a bootstrap 95% interval over classes.</param>
/// <param name="PermutationP">Two-sided permutation p-value of r (<see cref="Reporting.Metrics.Correlation.PermutationP"/>).</param>
/// <param name="LeaveOneOut">r with each class left out, in the order of <paramref name="Rows"/>.</param>
/// <param name="SelfOnMax">Least-squares fit of mean self top-1 (y) on max generation top-1 (x); <paramref name="MaxOnSelf"/> the other order.</param>
/// <param name="PooledGenerated">Every generation's top-1 within its class (Figure 6 right).</param>
/// <param name="PooledTraining">Every training image's top-1 among the others of its class.</param>
/// <param name="OwnClass">Generations of the scored classes whose nearest training image over all classes belongs to their own
/// class (the label the sampler was given is the generation's class; the nearest image decides what it drew), with a bootstrap interval.</param>
/// <param name="OwnClassChance">The own-class rate of a nearest image drawn at random from the training set: Σ over classes of
/// (share of generations) × (share of training images).</param>
/// <param name="Threshold">The pooled calibrated threshold (1% of within-class training self-similarities above it): per-class
/// calibration needs ≥ 100 images per class, so one pooled point is used.</param>
public sealed record ClassStudyResult(ClassStudyOptions Options, string ModelName, Similarity Similarity, IReadOnlyList<ClassRow> Rows,
    IReadOnlyList<(string Class, string Reason)> Excluded, (double R, double Low, double High) Correlation, double PermutationP,
    IReadOnlyList<double> LeaveOneOut, LinearFit? SelfOnMax, LinearFit? MaxOnSelf,
    float[] PooledGenerated, float[] PooledTraining, Proportion OwnClass, double OwnClassChance, CalibratedThreshold Threshold)
{
    /// <summary>The own-class rate at which a model counts as following its labels (issue 19's target).</summary>
    public const double FollowsLabelsAt = 0.6;

    /// <summary>The significance level of the verdict's permutation test.</summary>
    public const double Alpha = 0.05;

    /// <summary>The fraction of generations whose nearest training image (over all classes) is in their own class.</summary>
    public double NearestInOwnClass => OwnClass.Fraction;

    /// <summary>
    /// Whether this run reproduces the paper's per-class finding (classes whose training images resemble each other more are
    /// replicated more), and every reason it does not: the model must follow its labels (own-class rate ≥ <see cref="FollowsLabelsAt"/>;
    /// otherwise "its generations of a class" are not of that class), r must be positive with its bootstrap interval above 0 and
    /// its permutation p below <see cref="Alpha"/>, and no single class may carry the sign (every leave-one-class-out r positive).
    /// </summary>
    public (bool Reproduced, IReadOnlyList<string> Reasons) Verdict()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var reasons = new List<string>();
        if (!(OwnClass.Fraction >= FollowsLabelsAt))
            reasons.Add(string.Create(inv, $"the model does not follow its labels: own-class rate {OwnClass.Fraction:0.###} < {FollowsLabelsAt} (chance {OwnClassChance:0.###})"));
        var (r, low, _) = Correlation;
        if (double.IsNaN(r)) reasons.Add($"r is undefined ({Rows.Count} classes, or a constant axis)");
        else
        {
            if (!(r > 0)) reasons.Add(string.Create(inv, $"r = {r:0.###} is not positive"));
            else if (!(low > 0)) reasons.Add(string.Create(inv, $"r's bootstrap interval reaches {low:0.###}, below 0"));
            if (!(PermutationP < Alpha)) reasons.Add(string.Create(inv, $"permutation p = {PermutationP:0.####} ≥ {Alpha}"));
            if (r > 0 && LeaveOneOut.Select((v, i) => (v, i)).Where(t => !(t.v > 0)).ToList() is { Count: > 0 } carried)
                reasons.Add($"r changes sign or vanishes without {string.Join(", ", carried.Select(t => Rows[t.i].Name))}");
        }
        return (reasons.Count == 0, reasons);
    }
}
