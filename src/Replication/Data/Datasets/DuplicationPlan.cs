namespace Replication.Data.Datasets;

/// <summary>
/// Which images of a training set to duplicate, and how often: <see cref="PerLevel"/> images at each of <see cref="Levels"/>
/// (copies per image, each &gt; 1), drawn without overlap from a seeded permutation of the base set (the first
/// <see cref="PerLevel"/> get the first level, and so on); every other image stays once. Or an explicit list of (id, copies).
/// </summary>
public sealed record DuplicationPlan
{
    public IReadOnlyList<int> Levels { get; init; } = [4, 16, 64];
    public int PerLevel { get; init; } = 16;
    public ulong Seed { get; init; }

    /// <summary>Explicit (image id, copies) pairs; when set, <see cref="Levels"/> and <see cref="PerLevel"/> are not used.</summary>
    public IReadOnlyList<(string Id, int Copies)>? Explicit { get; init; }

    public void Validate()
    {
        if (Explicit is { } list)
        {
            if (list.Count == 0) throw new ParameterException(nameof(Explicit), "lists no image");
            foreach (var (id, copies) in list)
                if (copies < 1) throw new ParameterException(nameof(Explicit), $"{id}: {copies}", "copies must be at least 1");
            if (list.GroupBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new ParameterException(nameof(Explicit), twice.Key, "is listed twice");
            return;
        }
        if (Levels.Count == 0) throw new ParameterException(nameof(Levels), "needs at least one duplication level");
        foreach (int level in Levels)
            if (level < 2) throw new ParameterException(nameof(Levels), level, "copies per duplicated image must be at least 2 (1 is every other image)");
        if (Levels.Distinct().Count() != Levels.Count) throw new ParameterException(nameof(Levels), string.Join(",", Levels), "lists a level twice");
        if (PerLevel < 1) throw new ParameterException(nameof(PerLevel), PerLevel, "must be at least 1");
    }
}
