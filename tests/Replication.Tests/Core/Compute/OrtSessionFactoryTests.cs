using Replication.Core.Compute;
using Replication.Core.Vectors;
using Replication.Embeddings;
using Replication.Search;

namespace Replication.Tests.Core.Compute;

public class OrtSessionFactoryTests
{
    [Fact]
    public void CudaRequestOnTheCpuBuildFallsBackWithOneWarningAndSameResults()
    {
        // The test project uses the CPU build of ONNX Runtime, which has no CUDA execution provider.
        var warnings = new List<string>();
        var previous = OrtSessionFactory.Warn;
        OrtSessionFactory.Warn = warnings.Add;
        OrtSessionFactory.ResetWarning();
        try
        {
            var q = new float[] { 1, 0, 0, 1, 1, 1 };
            var g = new float[] { 1, 0, 0, 1 };
            var cpu = ExactSearch.Search(new InMemoryVectors(q, 2), new InMemoryVectors(g, 2), Similarity.InnerProduct, 2, ComputeDevice.Cpu);
            var cuda = ExactSearch.Search(new InMemoryVectors(q, 2), new InMemoryVectors(g, 2), Similarity.InnerProduct, 2, ComputeDevice.Cuda);
            ExactSearch.Search(new InMemoryVectors(q, 2), new InMemoryVectors(g, 2), Similarity.InnerProduct, 2, ComputeDevice.Cuda);
            Assert.Equal(cpu.Indices, cuda.Indices);
            Assert.Equal(cpu.Scores, cuda.Scores);
            var warning = Assert.Single(warnings);
            Assert.Contains("CUDA", warning);
            Assert.Contains("CPU", warning);
        }
        finally
        {
            OrtSessionFactory.Warn = previous;
        }
    }

    [Fact]
    public void DeviceNamesParse()
    {
        Assert.Equal(ComputeDevice.Cuda, ComputeDeviceParser.Parse("CUDA"));
        Assert.Equal(ComputeDevice.Cpu, ComputeDeviceParser.Parse("cpu"));
        Assert.ThrowsAny<UsageException>(() => ComputeDeviceParser.Parse("tpu"));
    }
}
