using Replication.Onnx;

namespace Replication.Features;

/// <summary>
/// Extractors that need no download. <c>resnet18</c>: the ImageNet-trained ResNet-18 that ML.NET ships in the
/// NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (a CNTK export with a fixed batch of 1 whose
/// input is BGR in [0,255] minus a per-pixel mean image, see its ResNetPreprocess.onnx). At load, that
/// preprocessing graph is prepended (RGB→BGR, minus the mean image) so the model takes ordinary RGB [0,255]
/// input, and the batch dimension is made symbolic so that batches run in one call.
/// </summary>
public static class BuiltinModels
{
    public const string ResNet18Name = "resnet18";
    public const string ResNet18Sha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";
    public const string PreprocessSha256 = "84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004";

    public static IReadOnlyList<string> Names { get; } = [ResNet18Name];

    /// <summary>models/builtin beside Replication.dll (not the host's folder: in a notebook kernel the host is the kernel tool).</summary>
    public static string Folder => Path.Combine(Path.GetDirectoryName(typeof(BuiltinModels).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory, "models", "builtin");

    public static bool IsBuiltin(string nameOrCard) => Names.Contains(nameOrCard.ToLowerInvariant());

    /// <summary>The card of a built-in model; its input is the composed graph's "image" input.</summary>
    public static ModelCard Card(string name) => name.ToLowerInvariant() switch
    {
        ResNet18Name => new ModelCard
        {
            Name = "resnet18-imagenet",
            Onnx = "ResNet18.onnx",
            Sha256 = ResNet18Sha256,
            Input = new InputSpec
            {
                Name = "image", Size = 224, Resize = 256, Interpolation = "bilinear",
                Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f], Scale = 255f,
            },
            Output = new OutputSpec { Name = "Pooling395_Output_0", Kind = "vector" },
            Dim = 512,
            Source = "NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx (ImageNet-1k classifier, global-average-pooled features)",
            License = "MIT (ML.NET package)",
            BaseDirectory = Folder,
            CardPath = "builtin:resnet18",
        },
        _ => throw new ArgumentException($"unknown built-in model '{name}' (built-ins: {string.Join(", ", Names)})"),
    };

    /// <summary>The ONNX bytes ONNX Runtime should load for a built-in card: verified, preprocessing prepended, batch symbolic.</summary>
    public static byte[] PrepareModel(ModelCard card)
    {
        var network = card.ReadVerifiedModel();
        var prepCard = card with { Onnx = Path.Combine("..", "builtin", "ResNetPreprocess.onnx"), Sha256 = PreprocessSha256 };
        var preprocess = prepCard.ReadVerifiedModel();
        return OnnxModelRewriter.MakeBatchSymbolic(PrependBgrMeanImage(network, preprocess, card.Input.Name));
    }

    /// <summary>The same model with its original fixed batch of 1, to measure what batching gains.</summary>
    public static byte[] PrepareModelFixedBatch(ModelCard card)
    {
        var prepCard = card with { Onnx = Path.Combine("..", "builtin", "ResNetPreprocess.onnx"), Sha256 = PreprocessSha256 };
        return PrependBgrMeanImage(card.ReadVerifiedModel(), prepCard.ReadVerifiedModel(), card.Input.Name);
    }

    /// <summary>
    /// Replaces the network's only input (BGR minus mean) by an RGB input named <paramref name="inputName"/>:
    /// Gather(channels 2,1,0) then Sub(mean image taken from the preprocessing model).
    /// </summary>
    internal static byte[] PrependBgrMeanImage(byte[] network, byte[] preprocess, string inputName)
    {
        var prepGraph = ProtoReader.ReadFields(OnnxModelRewriter.GraphOf(preprocess));
        var meanImage = prepGraph.First(f => f.Number == 5);
        string meanName = OnnxModelRewriter.Text(ProtoReader.ReadFields(meanImage.Payload).First(f => f.Number == 8));
        var netGraph = ProtoReader.ReadFields(OnnxModelRewriter.GraphOf(network));
        var oldInput = netGraph.First(f => f.Number == 11);
        var (oldName, dims) = OnnxModelRewriter.DescribeValueInfo(oldInput.Payload);
        var reorder = new ProtoWriter()
            .Varint(1, 3).Varint(2, OnnxGraphBuilder.ElemInt64).String(8, "rgb_to_bgr")
            .Bytes(9, System.Runtime.InteropServices.MemoryMarshal.AsBytes<long>([2L, 1L, 0L])).ToArray();
        return OnnxModelRewriter.EditGraph(network, (f, g) =>
        {
            if (f.Number == 11 && f.Payload.Equals(oldInput.Payload))
            {
                g.Message(11, v => v.String(1, inputName).Message(2, t => t.Message(1, tt =>
                {
                    tt.Varint(1, OnnxGraphBuilder.ElemFloat);
                    tt.Message(2, s => { foreach (var d in dims) s.Message(1, dim => dim.Varint(1, long.Parse(d))); });
                })));
                return;
            }
            g.Field(f);
        }, prepend: g =>
        {
            g.Message(1, n => n.String(1, inputName).String(1, "rgb_to_bgr").String(2, "bgr_input").String(3, "builtin_rgb_to_bgr").String(4, "Gather")
                .Message(5, a => a.String(1, "axis").Varint(3, 1).Varint(20, 2)));
            g.Message(1, n => n.String(1, "bgr_input").String(1, meanName).String(2, oldName).String(3, "builtin_subtract_mean").String(4, "Sub"));
            g.Bytes(5, reorder);
            g.Field(meanImage);
        });
    }
}
