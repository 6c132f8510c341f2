using Replication.Reporting.Metrics;

namespace Replication.Analyses.Sweep;

/// <summary>Every (model, case) of a sweep, models in the order given and cases from the smallest training set up.</summary>
/// <param name="RealBaseline">Per extractor, KID between two disjoint halves of the held-out reference images, with subsets no
/// larger than the generations were measured with (the estimate carries its size): the value two sets of real images give
/// (empty without a reference).</param>
public sealed record SweepResult(SweepOptions Options, IReadOnlyList<SweepRow> Rows, IReadOnlyDictionary<string, KernelDistanceEstimate> RealBaseline)
{
    public IEnumerable<SweepRow> Of(string model) => Rows.Where(r => r.Model == model).OrderBy(r => r.Case.TrainingSize);
}
