using System.Runtime.InteropServices;

namespace Replication.Core.Onnx;

/// <summary>
/// Builds small ONNX models in code (no protobuf compiler needed): float tensors in and out, nodes with
/// int, ints and float attributes, and int64 initializers. Field numbers follow onnx.proto.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int ElemFloat = 1;
    public const int ElemInt64 = 7;

    private readonly List<Action<ProtoWriter>> _graph = [];
    private readonly int _opset;

    public OnnxGraphBuilder(string name, int opset = 13)
    {
        _opset = opset;
        _graph.Add(w => w.String(2, name));
    }

    /// <summary>Adds a graph input; a dimension is a number or a symbolic name.</summary>
    public OnnxGraphBuilder Input(string name, int elemType, params object[] dims) { _graph.Add(w => w.Message(11, v => ValueInfo(v, name, elemType, dims))); return this; }

    public OnnxGraphBuilder Output(string name, int elemType, params object[] dims) { _graph.Add(w => w.Message(12, v => ValueInfo(v, name, elemType, dims))); return this; }

    public OnnxGraphBuilder Int64Initializer(string name, long[] dims, long[] values)
    {
        _graph.Add(w => WriteTensor(w, name, dims, ElemInt64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return this;
    }

    public OnnxGraphBuilder FloatInitializer(string name, long[] dims, float[] values)
    {
        _graph.Add(w => WriteTensor(w, name, dims, ElemFloat, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return this;
    }

    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params NodeAttribute[] attributes)
    {
        _graph.Add(w => WriteNode(w, opType, inputs, outputs, attributes));
        return this;
    }

    /// <summary>Writes a GraphProto.node entry.</summary>
    public static void WriteNode(ProtoWriter graph, string opType, string[] inputs, string[] outputs, params NodeAttribute[] attributes) =>
        graph.Message(1, n =>
        {
            foreach (var i in inputs) n.String(1, i);
            foreach (var o in outputs) n.String(2, o);
            n.String(3, $"{opType}_{outputs[0]}");
            n.String(4, opType);
            foreach (var a in attributes) n.Message(5, a.Write);
        });

    /// <summary>Writes a GraphProto.initializer entry with raw little-endian data.</summary>
    public static void WriteTensor(ProtoWriter graph, string name, long[] dims, int elemType, byte[] raw) =>
        graph.Message(5, t =>
        {
            foreach (var d in dims) t.Varint(1, d);
            t.Varint(2, elemType);
            t.String(8, name);
            t.Bytes(9, raw);
        });

    /// <summary>Writes a GraphProto.output entry.</summary>
    public static void WriteOutput(ProtoWriter graph, string name, int elemType, params object[] dims) =>
        graph.Message(12, v => ValueInfo(v, name, elemType, dims));

    public byte[] ToModel()
    {
        var model = new ProtoWriter();
        model.Varint(1, 7); // ir_version
        model.String(2, "Replication");
        model.Message(7, g => { foreach (var part in _graph) part(g); });
        model.Message(8, o => { o.String(1, ""); o.Varint(2, _opset); });
        return model.ToArray();
    }

    private static void ValueInfo(ProtoWriter v, string name, int elemType, object[] dims)
    {
        v.String(1, name);
        v.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Varint(1, elemType);
            tensor.Message(2, shape =>
            {
                foreach (var d in dims)
                    shape.Message(1, dim =>
                    {
                        if (d is string s) dim.String(2, s);
                        else dim.Varint(1, Convert.ToInt64(d));
                    });
            });
        }));
    }
}
