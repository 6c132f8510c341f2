namespace Replication.Analyses.Demo;

/// <summary>A demo training folder, generated folder and the ground truth of which generations are replicas.</summary>
public sealed record DemoSet(string TrainingFolder, string GeneratedFolder, IReadOnlyList<PlantedImage> Truth)
{
    /// <summary>Per generated file name, what the report should say about it: how a replica was planted, or that it is novel.</summary>
    public IReadOnlyDictionary<string, string> Annotations => Truth.ToDictionary(t => t.Generated,
        t => t.IsReplica ? $"planted {t.Kind} of {t.SourceTraining}" : "novel (never in training)");
}
