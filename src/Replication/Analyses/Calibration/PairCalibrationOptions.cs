using Replication.Core.Compute;

namespace Replication.Analyses.Calibration;

/// <summary>The settings of <see cref="PairCalibrationRun"/>.</summary>
public sealed record PairCalibrationOptions
{
    /// <summary>A model card JSON or a built-in name.</summary>
    public required string Model { get; init; }

    /// <summary>A manifest CSV with path and label columns: the label names each image's groups (';'-separated).</summary>
    public required string Images { get; init; }

    /// <summary>Where the embeddings (reused on a rerun), calibration.json and highest-pairs.csv go.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The share of unrelated pairs allowed above the threshold.</summary>
    public double Exceedance { get; init; } = 1e-4;

    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    public int BatchSize { get; init; } = 16;
}
