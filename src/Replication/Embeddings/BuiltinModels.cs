using System.Security.Cryptography;
using Replication.Core.Onnx;

namespace Replication.Embeddings;

/// <summary>
/// Extractors that need no download.
/// <list type="bullet">
/// <item><c>resnet18</c>: the ImageNet-trained ResNet-18 that ML.NET ships in the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (a CNTK export with a fixed batch of 1 whose input is BGR in [0,255]
/// minus a per-pixel mean image, see its ResNetPreprocess.onnx). At load, that preprocessing is prepended (RGB→BGR, minus
/// the mean image) so the model takes ordinary RGB [0,255] input, and the batch dimension is made symbolic.</item>
/// <item><c>resnet18-tokens</c>: the same network's last spatial feature map (7×7×512, before pooling) as 49 tokens, for split-product.</item>
/// <item><c>pixels</c>: the pixel-space baseline of earlier GAN-replication studies: grayscale (ITU-R 601 luma) at 32×32,
/// mean-centred per image, so that cosine similarity is the Pearson correlation of the two thumbnails.</item>
/// <item><c>tiled-l2</c>: Carlini et al. 2023's tiled ℓ2: RGB at [0,1], 64×64, cut into 4×4 tiles of 16×16; compared with
/// <see cref="Replication.Embeddings.Similarity.TiledL2"/>.</item>
/// </list>
/// </summary>
public static class BuiltinModels
{
    public const string ResNet18Name = "resnet18";
    public const string ResNet18TokensName = "resnet18-tokens";
    public const string PixelsName = "pixels";
    public const string TiledL2Name = "tiled-l2";

    /// <summary>The copy-detection descriptor trained here with SSCD's recipe (models/copy-detector); its card and ONNX file
    /// are copied to models/builtin/copy-detector-r18 beside the library and checked by the card's sha256 at every load.</summary>
    public const string CopyDetectorName = "copy-detector";
    public const string ResNet18Sha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";
    public const string PreprocessSha256 = "84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004";

    public static IReadOnlyList<string> Names { get; } = [ResNet18Name, ResNet18TokensName, PixelsName, TiledL2Name, CopyDetectorName];

    /// <summary>The card file of <see cref="CopyDetectorName"/>.</summary>
    public static string CopyDetectorCardPath => Path.Combine(Folder, "copy-detector-r18", "copy-detector-r18.json");

    /// <summary>models/builtin beside Replication.dll (not the host's folder: in a notebook kernel the host is the kernel tool).</summary>
    public static string Folder => Path.Combine(Path.GetDirectoryName(typeof(BuiltinModels).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory, "models", "builtin");

    public static bool IsBuiltin(string nameOrCard) => Names.Contains(nameOrCard.ToLowerInvariant());

    /// <summary>The card of a built-in model without reading its weights (for the checks made before any work).</summary>
    public static ModelCard CardOf(string name) => name.ToLowerInvariant() switch
    {
        ResNet18Name => ResNet18Card("resnet18-imagenet", "Pooling395_Output_0", "vector", 512),
        ResNet18TokensName => ResNet18Card("resnet18-imagenet-tokens", "spatial_tokens", "tokens", 512),
        CopyDetectorName => ModelCard.Load(CopyDetectorCardPath),
        _ => Load(name).Card,
    };

    /// <summary>The card and the ONNX bytes of a built-in model; <paramref name="batched"/> = false keeps ResNet-18's original batch of 1.</summary>
    public static (ModelCard Card, byte[] Model) Load(string name, bool batched = true)
    {
        switch (name.ToLowerInvariant())
        {
            case ResNet18Name:
            {
                var card = ResNet18Card("resnet18-imagenet", "Pooling395_Output_0", "vector", 512);
                var composed = PrependBgrMeanImage(card.ReadVerifiedModel(), PreprocessModel(card), card.Input.Name);
                return (card, batched ? OnnxModelRewriter.MakeBatchSymbolic(composed) : composed);
            }
            case ResNet18TokensName:
            {
                var card = ResNet18Card("resnet18-imagenet-tokens", "spatial_tokens", "tokens", 512);
                var composed = OnnxModelRewriter.MakeBatchSymbolic(PrependBgrMeanImage(card.ReadVerifiedModel(), PreprocessModel(card), card.Input.Name));
                return (card, AppendSpatialTokens(composed, "Pooling395_Output_0", card.Output.Name));
            }
            case PixelsName:
                return Generated("pixels-gray32", PixelGraph(), 64, "pixels", "vector", 32 * 32, null,
                    "Grayscale (0.299 R + 0.587 G + 0.114 B) 64×64 centre crop, 2×2 average-pooled to 32×32, minus its mean");
            case CopyDetectorName:
            {
                var card = ModelCard.Load(CopyDetectorCardPath);
                return (card, card.ReadVerifiedModel());
            }
            case TiledL2Name:
                return Generated("tiled-l2-64", TiledGraph(), 64, "tiles", "tokens", 16 * 16 * 3, "tiled-l2",
                    "RGB at [0,1], 64×64 centre crop, 16 tiles of 16×16 pixels (Carlini et al. 2023, 'Extracting Training Data from Diffusion Models')");
            default:
                throw new ArgumentException($"unknown built-in model '{name}' (built-ins: {string.Join(", ", Names)})");
        }
    }

    private static ModelCard ResNet18Card(string name, string output, string kind, int dim) => new()
    {
        Name = name,
        Onnx = "ResNet18.onnx",
        Sha256 = ResNet18Sha256,
        Input = new InputSpec
        {
            Name = "image", Size = 224, Resize = 256, Interpolation = "bilinear",
            Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f], Scale = 255f,
        },
        Output = new OutputSpec { Name = output, Kind = kind },
        Dim = dim,
        Source = "NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx (ImageNet-1k classifier)",
        License = "MIT (ML.NET package)",
        BaseDirectory = Folder,
        CardPath = "builtin:" + name,
    };

    private static byte[] PreprocessModel(ModelCard card) =>
        (card with { Onnx = "ResNetPreprocess.onnx", Sha256 = PreprocessSha256 }).ReadVerifiedModel();

    private static (ModelCard, byte[]) Generated(string name, byte[] model, int size, string output, string kind, int dim, string? similarity, string source) =>
        (new ModelCard
        {
            Name = name,
            Onnx = "(built in code)",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(model)),
            Input = new InputSpec { Name = "image", Size = size, Resize = size, Interpolation = "bilinear", Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f], Scale = 1f },
            Output = new OutputSpec { Name = output, Kind = kind },
            Dim = dim,
            Similarity = similarity,
            Source = source,
            License = "this project",
            CardPath = "builtin:" + name,
        }, model);

    private static byte[] PixelGraph() => new OnnxGraphBuilder("pixels_gray32")
        .Input("image", OnnxGraphBuilder.ElemFloat, "batch", 3, 64, 64)
        .Output("pixels", OnnxGraphBuilder.ElemFloat, "batch", 1024)
        .FloatInitializer("luma", [1, 3, 1, 1], [0.299f, 0.587f, 0.114f])
        .Node("Conv", ["image", "luma"], ["gray"])
        .Node("AveragePool", ["gray"], ["gray32"], NodeAttribute.Ints("kernel_shape", 2, 2), NodeAttribute.Ints("strides", 2, 2))
        .Node("Flatten", ["gray32"], ["flat"], NodeAttribute.Int("axis", 1))
        .Node("ReduceMean", ["flat"], ["mean"], NodeAttribute.Ints("axes", 1), NodeAttribute.Int("keepdims", 1))
        .Node("Sub", ["flat", "mean"], ["pixels"])
        .ToModel();

    private static byte[] TiledGraph() => new OnnxGraphBuilder("tiled_l2_64")
        .Input("image", OnnxGraphBuilder.ElemFloat, "batch", 3, 64, 64)
        .Output("tiles", OnnxGraphBuilder.ElemFloat, "batch", 16, 768)
        .Int64Initializer("split_shape", [6], [0, 3, 4, 16, 4, 16])
        .Int64Initializer("tile_shape", [3], [0, 16, 768])
        .Node("Reshape", ["image", "split_shape"], ["split"])
        .Node("Transpose", ["split"], ["tiled"], NodeAttribute.Ints("perm", 0, 2, 4, 1, 3, 5))
        .Node("Reshape", ["tiled", "tile_shape"], ["tiles"])
        .ToModel();

    /// <summary>Adds an output with the input of the pooling node that produces <paramref name="pooled"/>, as [batch, H·W, C] tokens.</summary>
    internal static byte[] AppendSpatialTokens(byte[] model, string pooled, string output)
    {
        var (op, inputs) = OnnxModelRewriter.ProducerOf(model, pooled);
        if (op is not ("AveragePool" or "GlobalAveragePool"))
            throw new InputDataException($"'{pooled}' is produced by {op}, not a pooling node");
        var shape = System.Runtime.InteropServices.MemoryMarshal.AsBytes<long>([0L, 512L, -1L]).ToArray();
        return OnnxModelRewriter.Append(model, g =>
        {
            OnnxGraphBuilder.WriteTensor(g, "spatial_shape", [3], OnnxGraphBuilder.ElemInt64, shape);
            OnnxGraphBuilder.WriteNode(g, "Reshape", [inputs[0], "spatial_shape"], ["spatial_flat"]);
            OnnxGraphBuilder.WriteNode(g, "Transpose", ["spatial_flat"], [output], NodeAttribute.Ints("perm", 0, 2, 1));
            OnnxGraphBuilder.WriteOutput(g, output, OnnxGraphBuilder.ElemFloat, "batch", 49, 512);
        });
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
        var reorder = System.Runtime.InteropServices.MemoryMarshal.AsBytes<long>([2L, 1L, 0L]).ToArray();
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
            OnnxGraphBuilder.WriteNode(g, "Gather", [inputName, "rgb_to_bgr"], ["bgr_input"], NodeAttribute.Int("axis", 1));
            OnnxGraphBuilder.WriteNode(g, "Sub", ["bgr_input", meanName], [oldName]);
            OnnxGraphBuilder.WriteTensor(g, "rgb_to_bgr", [3], OnnxGraphBuilder.ElemInt64, reorder);
            g.Field(meanImage);
        });
    }
}
