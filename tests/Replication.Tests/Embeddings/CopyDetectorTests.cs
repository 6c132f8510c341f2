using System.Diagnostics;
using Replication.Embeddings;
using Replication.Images;

namespace Replication.Tests.Embeddings;

/// <summary>
/// The copy detector of models/copy-detector: the training script's self-test; its conversion of the built-in ResNet-18 from
/// ONNX to PyTorch reproduces ONNX Runtime's outputs of <c>--model resnet18</c>; the shipped descriptor matches its PyTorch
/// reference outputs, loads as the built-in <c>copy-detector</c>, and a weight file that was altered is refused by its checksum.
/// Needs /usr/bin/python3 with python3-torch and python3-onnx (CI installs them).
/// </summary>
public class CopyDetectorTests
{
    private static readonly string Folder = Path.Combine(Fixtures.RepositoryRoot(), "models", "copy-detector");
    private static readonly string ShippedCard = Path.Combine(Folder, "copy-detector-r18", "copy-detector-r18.json");

    private static (int Code, string Out, string Err) Python(params string[] args)
    {
        Requires.Python("python3-torch python3-numpy python3-pil python3-onnx libopenblas0-pthread", "torch", "numpy", "PIL", "onnx");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Folder, "train_copy_detector.py"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // the library's copies of the NuGet package's files, wherever NuGet keeps its cache
        start.Environment["REPLICATION_RESNET18_ONNX"] = Path.Combine(BuiltinModels.Folder, "ResNet18.onnx");
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(300_000), "the script hung");
        return (p.ExitCode, output, err.Result);
    }

    [SkippableFact]
    public void TrainingScriptSelfTestPasses()
    {
        var (code, output, err) = Python("self-test");
        Assert.True(code == 0, err);
        Assert.Contains("self-test passed", output);
    }

    [SkippableFact]
    public void TheConvertedResNetReproducesTheBuiltInOnOnnxRuntime()
    {
        var dir = Fixtures.TempFolder();
        var (code, _, err) = Python("export", "--identity", "--out", dir);
        Assert.True(code == 0, err);
        using var converted = FeatureExtractor.Open(Path.Combine(dir, "resnet18-converted.json"));
        using var builtin = FeatureExtractor.Open(BuiltinModels.ResNet18Name);
        var images = new[] { "chelsea.png", "camera.png", "horse.png" }.Select(f => ImageDecoder.Decode(Fixtures.Path("preprocessing", f))).ToArray();
        foreach (var image in images)
        {
            var a = new float[converted.Preprocessor.TensorLength];
            var b = new float[builtin.Preprocessor.TensorLength];
            converted.Preprocessor.Apply(image, a);
            builtin.Preprocessor.Apply(image, b);
            var x = converted.Embed(a, 1);
            var y = builtin.Embed(b, 1);
            Assert.Equal(y.Length, x.Length);
            float scale = y.Max(Math.Abs);
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-5f * Math.Max(1, scale), $"{i}: {x[i]} vs {y[i]}");
        }
    }

    [SkippableFact]
    public void TheShippedDescriptorMatchesItsPyTorchReferences()
    {
        var results = ExportCheck.Verify(ShippedCard);
        Assert.Equal(3, results.Count);
        foreach (var r in results) Assert.True(r.MaxAbsDifference <= 1e-5, $"{r.Image}: {r.MaxAbsDifference}");
    }

    [SkippableFact]
    public void TheBuiltInNameLoadsTheShippedDescriptorAndEmbedsUnitVectors()
    {
        using var ex = FeatureExtractor.Open(BuiltinModels.CopyDetectorName);
        Assert.Equal("copy-detector-r18", ex.Card.Name);
        var image = ImageDecoder.Decode(Fixtures.Path("preprocessing", "chelsea.png"));
        var t = new float[ex.Preprocessor.TensorLength];
        ex.Preprocessor.Apply(image, t);
        var e = ex.Embed(t, 1);
        Assert.Equal(512, e.Length);
        Assert.InRange(Math.Sqrt(e.Sum(v => (double)v * v)), 0.9999, 1.0001);
    }

    [SkippableFact]
    public void AnAlteredWeightFileIsRefusedByItsChecksum()
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in new[] { "copy-detector-r18.json", "copy-detector-r18.onnx" })
            File.Copy(Path.Combine(Path.GetDirectoryName(ShippedCard)!, f), Path.Combine(dir, f));
        var onnx = Path.Combine(dir, "copy-detector-r18.onnx");
        var bytes = File.ReadAllBytes(onnx);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(onnx, bytes);
        var e = Assert.ThrowsAny<UserInputException>(() => FeatureExtractor.Open(Path.Combine(dir, "copy-detector-r18.json")));
        Assert.Contains("sha256", e.Message, StringComparison.OrdinalIgnoreCase);
        File.Delete(onnx);
        Assert.ThrowsAny<UserInputException>(() => FeatureExtractor.Open(Path.Combine(dir, "copy-detector-r18.json")));
    }
}
