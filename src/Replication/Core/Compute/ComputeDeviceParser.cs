namespace Replication.Core.Compute;

public static class ComputeDeviceParser
{
    public static ComputeDevice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "cuda" or "gpu" => ComputeDevice.Cuda,
        _ => throw new ParameterException("Device", text, "unknown device: use cpu or cuda"),
    };
}
