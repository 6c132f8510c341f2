using Microsoft.ML.OnnxRuntime;
using Replication.Core.Compute;
using Replication.Core.Onnx;

namespace Replication.Embeddings;

/// <summary>
/// An ONNX Runtime session for one model card: checks the card against the model (input name and shape,
/// output name, dimension) and embeds batches of preprocessed images.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private FeatureExtractor(ModelCard card, byte[] model, ComputeDevice device)
    {
        Card = card;
        string where = card.CardPath.Length > 0 ? card.CardPath : card.Name;
        List<ProtoField> graph;
        try
        {
            graph = ProtoReader.ReadFields(OnnxModelRewriter.GraphOf(model));
        }
        catch (InputDataException e)
        {
            throw new InputDataException($"{where}: {card.OnnxPath} is not a valid ONNX model ({e.Message})", e);
        }
        var initializers = graph.Where(f => f.Number == 5)
            .Select(f => OnnxModelRewriter.Text(ProtoReader.ReadFields(f.Payload).FirstOrDefault(x => x.Number == 8)))
            .ToHashSet();
        var inputs = graph.Where(f => f.Number == 11).Select(f => OnnxModelRewriter.DescribeValueInfo(f.Payload))
            .Where(i => !initializers.Contains(i.Name)).ToList();
        var outputs = graph.Where(f => f.Number == 12).Select(f => OnnxModelRewriter.DescribeValueInfo(f.Payload)).ToList();
        var input = inputs.FirstOrDefault(i => i.Name == card.Input.Name);
        if (input.Name is null)
            throw new InputDataException($"{where}: the model has no input '{card.Input.Name}' (inputs: {string.Join(", ", inputs.Select(i => i.Name))})");
        if (input.Dims.Count != 4 || input.Dims[1] != "3" || !SizeMatches(input.Dims[2], card.Input.Size) || !SizeMatches(input.Dims[3], card.Input.Size))
            throw new InputDataException($"{where}: input '{input.Name}' has shape [{string.Join(",", input.Dims)}], the card expects [batch,3,{card.Input.Size},{card.Input.Size}]");
        var output = outputs.FirstOrDefault(o => o.Name == card.Output.Name);
        if (output.Name is null)
            throw new InputDataException($"{where}: the model has no output '{card.Output.Name}' (outputs: {string.Join(", ", outputs.Select(o => o.Name))})");
        if (OnnxModelRewriter.ElementType(graph.First(f => f.Number == 11 && OnnxModelRewriter.DescribeValueInfo(f.Payload).Name == input.Name).Payload) is var inType && inType != OnnxGraphBuilder.ElemFloat)
            throw new InputDataException($"{where}: input '{input.Name}' is {OnnxModelRewriter.ElementTypeName(inType)}; this library feeds float32 (export the model with a float32 input)");
        if (OnnxModelRewriter.ElementType(graph.First(f => f.Number == 12 && OnnxModelRewriter.DescribeValueInfo(f.Payload).Name == output.Name).Payload) is var outType && outType != OnnxGraphBuilder.ElemFloat)
            throw new InputDataException($"{where}: output '{output.Name}' is {OnnxModelRewriter.ElementTypeName(outType)}; embeddings must be float32");
        FixedBatchOfOne = input.Dims[0] == "1";
        (_session, Device) = OrtSessionFactory.Create(model, device, card.Name);
        _inputNames = [card.Input.Name];
        _outputNames = [card.Output.Name];
        Preprocessor = new Preprocessor(card.Input);
    }

    public ModelCard Card { get; }
    public ComputeDevice Device { get; }
    public Preprocessor Preprocessor { get; }

    /// <summary>How images are decoded for this extractor: transparency composited onto white (default) or dropped.
    /// Part of the embedding fingerprint and recorded with the embeddings.</summary>
    public Replication.Images.AlphaHandling Alpha { get; set; } = Replication.Images.AlphaHandling.White;

    /// <summary>Decode truncated images with what they hold (Pillow's LOAD_TRUNCATED_IMAGES) instead of skipping them (Pillow's default).</summary>
    public bool AcceptTruncated { get; set; }

    /// <summary>True when the model only accepts one image per call (batches are then run image by image).</summary>
    public bool FixedBatchOfOne { get; }

    /// <summary>Floats per embedding row: dim for vectors, tokens × dim for token outputs (known after the first batch).</summary>
    public int RowLength { get; private set; }

    /// <summary>Number of split-product chunks a row holds: 1 for vectors, the token count for token outputs.</summary>
    public int Chunks { get; private set; } = 1;

    /// <summary>The card of a card file or built-in model, read without the model itself (cheap: for checks before any work).</summary>
    public static ModelCard CardOf(string cardOrBuiltin) =>
        BuiltinModels.IsBuiltin(cardOrBuiltin) ? BuiltinModels.CardOf(cardOrBuiltin) : ModelCard.Load(cardOrBuiltin);

    /// <summary>Opens a card file, or a built-in name such as <c>resnet18</c>.</summary>
    public static FeatureExtractor Open(string cardOrBuiltin, ComputeDevice device = ComputeDevice.Cpu, bool batched = true)
    {
        if (BuiltinModels.IsBuiltin(cardOrBuiltin))
        {
            var (card, model) = BuiltinModels.Load(cardOrBuiltin, batched);
            return new FeatureExtractor(card, model, device);
        }
        var c = ModelCard.Load(cardOrBuiltin);
        return new FeatureExtractor(c, c.ReadVerifiedModel(), device);
    }

    public static FeatureExtractor Open(ModelCard card, byte[] model, ComputeDevice device = ComputeDevice.Cpu) => new(card, model, device);

    /// <summary>Runs <paramref name="count"/> preprocessed images (CHW each, back to back) and returns count rows of embeddings.</summary>
    public float[] Embed(float[] batch, int count)
    {
        int len = Preprocessor.TensorLength;
        if (FixedBatchOfOne && count > 1)
        {
            float[]? all = null;
            var one = new float[len];
            for (int i = 0; i < count; i++)
            {
                Array.Copy(batch, i * len, one, 0, len);
                var row = RunOnce(one, 1);
                all ??= new float[count * row.Length];
                row.CopyTo(all, i * row.Length);
            }
            return all!;
        }
        return RunOnce(batch, count);
    }

    private float[] RunOnce(float[] batch, int count)
    {
        int size = Card.Input.Size;
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * Preprocessor.TensorLength), [count, 3, size, size]);
        using var outputs = _session.Run(_run, _inputNames, [input], _outputNames);
        var tensor = outputs[0];
        var shape = tensor.GetTensorTypeAndShape().Shape;
        var data = tensor.GetTensorDataAsSpan<float>();
        string where = Card.CardPath.Length > 0 ? Card.CardPath : Card.Name;
        if (shape.Length == 0 || shape[0] != count)
            throw new InputDataException($"{where}: output '{Card.Output.Name}' has shape [{string.Join(",", shape)}], expected a leading batch of {count}");
        int rowLength = data.Length / count;
        if (Card.Output.Kind == "vector")
        {
            if (rowLength != Card.Dim)
                throw new InputDataException($"{where}: output '{Card.Output.Name}' has shape [{string.Join(",", shape)}], the card says dim {Card.Dim}");
        }
        else
        {
            if (shape.Length != 3 || shape[2] != Card.Dim)
                throw new InputDataException($"{where}: token output '{Card.Output.Name}' has shape [{string.Join(",", shape)}], expected [batch, tokens, {Card.Dim}]");
            Chunks = (int)shape[1];
        }
        RowLength = rowLength;
        return data.ToArray();
    }

    private static bool SizeMatches(string dim, int size) => dim == size.ToString() || !long.TryParse(dim, out _);

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
