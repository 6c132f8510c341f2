namespace Replication.Analyses.PerClass;

/// <param name="Chosen">The smallest scale whose own-class rate reaches <see cref="ClassStudyResult.FollowsLabelsAt"/>; where
/// none does, the scale with the highest rate.</param>
/// <param name="Reached">Whether <paramref name="Chosen"/> reaches <see cref="ClassStudyResult.FollowsLabelsAt"/>.</param>
public sealed record GuidanceChoiceResult(GuidanceOptions Options, string ModelName, IReadOnlyList<GuidanceRow> Rows, double Chosen, bool Reached)
{
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var lines = Rows.Select(r => string.Create(inv, $"guidance {r.Scale:0.##}: own-class rate {r.OwnClass.Describe()} (chance {r.Chance:0.###})")).ToList();
        lines.Add(Reached
            ? string.Create(inv, $"chosen: {Chosen:0.##}, the smallest scale at which generations follow their labels (own-class rate ≥ {ClassStudyResult.FollowsLabelsAt}; nearest training image by {ModelName})")
            : string.Create(inv, $"chosen: {Chosen:0.##}, the highest own-class rate; no scale reaches {ClassStudyResult.FollowsLabelsAt}: the model does not follow its labels"));
        return string.Join("\n", lines);
    }
}
