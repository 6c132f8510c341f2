using Replication.Reporting.Metrics;
using Replication.Embeddings;

namespace Replication.Analyses.PerClass;

/// <param name="Excluded">Classes that cannot be scored, with why (no generations, fewer than 2 training images, not a training class).</param>
/// <param name="Correlation">Pearson r between the per-class max generation top-1 and mean training self top-1, with a bootstrap 95% interval over classes.</param>
/// <param name="SelfOnMax">Least-squares fit of mean self top-1 (y) on max generation top-1 (x); <paramref name="MaxOnSelf"/> the other order.</param>
/// <param name="PooledGenerated">Every generation's top-1 within its class (Figure 6 right).</param>
/// <param name="PooledTraining">Every training image's top-1 among the others of its class.</param>
/// <param name="NearestInOwnClass">Fraction of generations whose nearest training image over all classes belongs to their own class.</param>
/// <param name="Threshold">The pooled calibrated threshold (1% of within-class training self-similarities above it): per-class
/// calibration needs ≥ 100 images per class, so one pooled point is used.</param>
public sealed record ClassStudyResult(ClassStudyOptions Options, string ModelName, Similarity Similarity, IReadOnlyList<ClassRow> Rows,
    IReadOnlyList<(string Class, string Reason)> Excluded, (double R, double Low, double High) Correlation, LinearFit? SelfOnMax, LinearFit? MaxOnSelf,
    float[] PooledGenerated, float[] PooledTraining, double NearestInOwnClass, CalibratedThreshold Threshold);
