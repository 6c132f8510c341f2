using Microsoft.ML.OnnxRuntime;

namespace Replication.Core.Compute;

/// <summary>
/// Creates ONNX Runtime sessions on the requested device. When CUDA is asked for but the CUDA execution
/// provider cannot be loaded (CPU build of ONNX Runtime, no driver, missing CUDA/cuDNN libraries), it
/// falls back to the CPU and prints one warning per process.
/// </summary>
public static class OrtSessionFactory
{
    private static int _warned;

    /// <summary>Where warnings go; the CLI leaves it on standard error.</summary>
    public static Action<string> Warn { get; set; } = message => Console.Error.WriteLine($"warning: {message}");

    /// <summary>Lets the next CUDA fallback warn again (tests).</summary>
    internal static void ResetWarning() => _warned = 0;

    /// <param name="threads">Intra-op threads (default: every core).</param>
    public static (InferenceSession Session, ComputeDevice Device) Create(byte[] model, ComputeDevice device, string description, int? threads = null)
    {
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), "must be ≥ 1");
        if (device == ComputeDevice.Cuda)
        {
            SessionOptions? options = null;
            try
            {
                options = NewOptions(threads);
                options.AppendExecutionProvider_CUDA(0);
                return (new InferenceSession(model, options), ComputeDevice.Cuda);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
            {
                options?.Dispose();
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                    Warn($"CUDA execution provider unavailable ({FirstLine(e.Message)}); running {description} on the CPU. " +
                         "The GPU needs the GPU build (-p:OnnxRuntimeFlavor=Gpu) and CUDA 12 + cuDNN 9 libraries on the library path (see environment.md).");
            }
        }
        try
        {
            return (new InferenceSession(model, NewOptions(threads)), ComputeDevice.Cpu);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InputDataException($"{description}: ONNX Runtime cannot load the model: {FirstLine(e.Message)}", e);
        }
    }

    private static SessionOptions NewOptions(int? threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = threads ?? Environment.ProcessorCount,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
