namespace Replication.Data.Diffusion;

/// <param name="Reused">Images found complete from an earlier run with the same settings (not drawn again).</param>
/// <param name="ImagesPerSecond">Over the images drawn in this run (0 when all were reused).</param>
public sealed record SampleResult(string Folder, string Manifest, int Count, int Reused, double ImagesPerSecond, int NetworkCallsPerBatch);
