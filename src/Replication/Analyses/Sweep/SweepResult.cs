namespace Replication.Analyses.Sweep;

/// <summary>Every (model, case) of a sweep, models in the order given and cases from the smallest training set up.</summary>
public sealed record SweepResult(SweepOptions Options, IReadOnlyList<SweepRow> Rows)
{
    public IEnumerable<SweepRow> Of(string model) => Rows.Where(r => r.Model == model).OrderBy(r => r.Case.TrainingSize);
}
