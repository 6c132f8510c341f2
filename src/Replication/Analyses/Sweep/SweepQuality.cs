using Replication.Analyses.Scanning;
using Replication.Reporting.Metrics;

namespace Replication.Analyses.Sweep;

/// <summary>
/// How much one model's generations look like real images of the domain: measured against <see cref="SweepOptions.Reference"/>,
/// real images held out of every training set.
/// </summary>
/// <param name="KernelDistance">KID between the generations' and the held-out images' features.</param>
/// <param name="Frechet">Fréchet distance between the same (NaN when either set has no more vectors than dimensions).</param>
/// <param name="ReferenceScan">The held-out images scanned against this model's training set as if they were generations: their
/// top-1 similarity is what new images of the domain score, the yardstick for the generations' top-1.</param>
public sealed record SweepQuality(KernelDistanceEstimate KernelDistance, double Frechet, ScanResult ReferenceScan);
