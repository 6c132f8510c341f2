namespace Replication.Core.Compute;

/// <summary>Where ONNX Runtime runs a model or a search graph.</summary>
public enum ComputeDevice
{
    Cpu,

    /// <summary>ONNX Runtime's CUDA execution provider (needs the GPU build of ONNX Runtime, CUDA 12 and cuDNN 9).</summary>
    Cuda,
}
