using Replication.Core.Onnx;

namespace Replication.Tests.Core.Onnx;

public class ProtoAndRewriterTests
{
    [Fact]
    public void WriterAndReaderRoundTripEveryWireType()
    {
        var bytes = new ProtoWriter().Varint(1, 300).Float(2, 1.5f).String(3, "héllo").Message(4, m => m.Varint(1, -1)).ToArray();
        var fields = ProtoReader.ReadFields(bytes);
        Assert.Equal(300UL, fields[0].Value);
        Assert.Equal(1.5f, BitConverter.UInt32BitsToSingle((uint)fields[1].Value));
        Assert.Equal("héllo", OnnxModelRewriter.Text(fields[2]));
        Assert.Equal(unchecked((ulong)-1L), ProtoReader.ReadFields(fields[3].Payload)[0].Value);
        // re-emitting fields unchanged gives the same bytes
        var copy = new ProtoWriter();
        foreach (var f in fields) copy.Field(f);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void TruncatedMessagesAreInvalidData()
    {
        var bytes = new ProtoWriter().String(1, "abcdef").ToArray();
        Assert.Throws<InputDataException>(() => ProtoReader.ReadFields(bytes.AsMemory(0, 4)));
    }

    [Fact]
    public void BatchOfOneBecomesSymbolicAndTheModelThenRunsBatches()
    {
        var model = new OnnxGraphBuilder("fixed")
            .Input("x", OnnxGraphBuilder.ElemFloat, 1, 3)
            .Output("y", OnnxGraphBuilder.ElemFloat, 1, 3)
            .Node("Relu", ["x"], ["y"])
            .ToModel();
        var rewritten = OnnxModelRewriter.MakeBatchSymbolic(model);
        var input = ProtoReader.ReadFields(OnnxModelRewriter.GraphOf(rewritten)).First(f => f.Number == 11);
        Assert.Equal(["batch", "3"], OnnxModelRewriter.DescribeValueInfo(input.Payload).Dims);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(rewritten);
        using var x = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new float[] { -1, 2, -3, 4, -5, 6 }, [2, 3]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["x"], [x], ["y"]);
        Assert.Equal([0f, 2, 0, 4, 0, 6], outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void GraphsThatReshapeWithConstantsAreNotRewritten()
    {
        var model = new OnnxGraphBuilder("reshaping")
            .Input("x", OnnxGraphBuilder.ElemFloat, 1, 4)
            .Output("y", OnnxGraphBuilder.ElemFloat, 1, 2, 2)
            .Int64Initializer("shape", [3], [1, 2, 2])
            .Node("Reshape", ["x", "shape"], ["y"])
            .ToModel();
        Assert.False(OnnxModelRewriter.CanMakeBatchSymbolic(model));
        Assert.Throws<InputDataException>(() => OnnxModelRewriter.MakeBatchSymbolic(model));
    }
}
