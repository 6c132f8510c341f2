namespace Replication.Demo;

/// <summary>A demo training folder, generated folder and the ground truth of which generations are replicas.</summary>
public sealed record DemoSet(string TrainingFolder, string GeneratedFolder, IReadOnlyList<PlantedImage> Truth);
