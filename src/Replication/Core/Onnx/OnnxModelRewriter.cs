using System.Text;

namespace Replication.Core.Onnx;

/// <summary>
/// Structural edits of an existing ONNX model at the protobuf level: make a fixed batch dimension of 1
/// symbolic, and rename or replace graph inputs. Field numbers follow onnx.proto
/// (ModelProto.graph = 7; GraphProto node = 1, initializer = 5, input = 11, output = 12, value_info = 13).
/// </summary>
public static class OnnxModelRewriter
{
    /// <summary>Op types whose constant shape operands may encode the batch size, which makes the rewrite unsafe.</summary>
    private static readonly string[] ShapeOps = ["Reshape", "Expand", "Tile", "ConstantOfShape"];

    public static string Text(ProtoField f) => Encoding.UTF8.GetString(f.Payload.Span);

    /// <summary>The op types used by the model's main graph.</summary>
    public static IReadOnlyList<string> OpTypes(byte[] model)
    {
        var graph = ProtoReader.ReadFields(GraphOf(model));
        return graph.Where(f => f.Number == 1)
            .Select(n => Text(ProtoReader.ReadFields(n.Payload).First(x => x.Number == 4)))
            .ToList();
    }

    /// <summary>True when the first dimension of every graph input, output and value_info can be made symbolic safely.</summary>
    public static bool CanMakeBatchSymbolic(byte[] model) => !OpTypes(model).Any(op => ShapeOps.Contains(op));

    /// <summary>Rewrites a leading dimension of 1 into the symbolic dimension <paramref name="name"/> everywhere it is declared.</summary>
    public static byte[] MakeBatchSymbolic(byte[] model, string name = "batch")
    {
        if (!CanMakeBatchSymbolic(model))
            throw new InputDataException("the model reshapes with constant shapes; its batch dimension cannot be rewritten safely");
        return EditGraph(model, (graphField, w) =>
        {
            if (graphField.Number is 11 or 12 or 13)
                w.Bytes(graphField.Number, RewriteValueInfo(graphField.Payload, name));
            else
                w.Field(graphField);
        });
    }

    /// <summary>Rewrites each graph field through <paramref name="edit"/>, which writes zero or more replacement fields.</summary>
    public static byte[] EditGraph(byte[] model, Action<ProtoField, ProtoWriter> edit, Action<ProtoWriter>? prepend = null, Action<ProtoWriter>? append = null)
    {
        var w = new ProtoWriter();
        foreach (var f in ProtoReader.ReadFields(model))
        {
            if (f.Number != 7) { w.Field(f); continue; }
            w.Message(7, g =>
            {
                prepend?.Invoke(g);
                foreach (var gf in ProtoReader.ReadFields(f.Payload)) edit(gf, g);
                append?.Invoke(g);
            });
        }
        return w.ToArray();
    }

    /// <summary>Adds nodes, initializers and outputs at the end of the main graph.</summary>
    public static byte[] Append(byte[] model, Action<ProtoWriter> append) => EditGraph(model, (f, g) => g.Field(f), append: append);

    /// <summary>The input names and op type of the node that produces <paramref name="output"/>.</summary>
    public static (string OpType, IReadOnlyList<string> Inputs) ProducerOf(byte[] model, string output)
    {
        foreach (var n in ProtoReader.ReadFields(GraphOf(model)).Where(f => f.Number == 1))
        {
            var nf = ProtoReader.ReadFields(n.Payload);
            if (nf.Where(x => x.Number == 2).Any(x => Text(x) == output))
                return (Text(nf.First(x => x.Number == 4)), nf.Where(x => x.Number == 1).Select(Text).ToList());
        }
        throw new InputDataException($"no node produces '{output}'");
    }

    public static ReadOnlyMemory<byte> GraphOf(byte[] model)
    {
        var graph = ProtoReader.ReadFields(model).FirstOrDefault(f => f.Number == 7);
        if (graph.Number != 7)
            throw new InputDataException("not an ONNX model: no graph");
        return graph.Payload;
    }

    /// <summary>Name and dimensions (number, or symbolic name, or "?") of a ValueInfoProto.</summary>
    /// <summary>The tensor element type of a ValueInfoProto (TensorProto.DataType: 1 float, 11 double, 7 int64, …); 0 when not a tensor.</summary>
    public static int ElementType(ReadOnlyMemory<byte> valueInfo)
    {
        var type = ProtoReader.ReadFields(valueInfo).FirstOrDefault(x => x.Number == 2);
        if (type.Number != 2) return 0;
        var tensor = ProtoReader.ReadFields(type.Payload).FirstOrDefault(x => x.Number == 1);
        if (tensor.Number != 1) return 0;
        var elem = ProtoReader.ReadFields(tensor.Payload).FirstOrDefault(x => x.Number == 1);
        return elem.Number == 1 ? (int)elem.Value : 0;
    }

    /// <summary>The NumPy-style name of a TensorProto.DataType.</summary>
    public static string ElementTypeName(int elementType) => elementType switch
    {
        0 => "not a tensor (or of undefined type)", 1 => "float32", 2 => "uint8", 3 => "int8", 4 => "uint16", 5 => "int16", 6 => "int32",
        7 => "int64", 8 => "string", 9 => "bool", 10 => "float16", 11 => "float64", 12 => "uint32", 13 => "uint64", 16 => "bfloat16",
        _ => $"element type {elementType}",
    };

    public static (string Name, IReadOnlyList<string> Dims) DescribeValueInfo(ReadOnlyMemory<byte> valueInfo)
    {
        var v = ProtoReader.ReadFields(valueInfo);
        string name = Text(v.First(x => x.Number == 1));
        var dims = new List<string>();
        var type = v.FirstOrDefault(x => x.Number == 2);
        if (type.Number == 2)
        {
            var tensor = ProtoReader.ReadFields(type.Payload).FirstOrDefault(x => x.Number == 1);
            var shape = tensor.Number == 1 ? ProtoReader.ReadFields(tensor.Payload).FirstOrDefault(x => x.Number == 2) : default;
            if (shape.Number == 2)
                foreach (var d in ProtoReader.ReadFields(shape.Payload).Where(x => x.Number == 1))
                {
                    var df = ProtoReader.ReadFields(d.Payload);
                    dims.Add(df.Count == 0 ? "?" : df[0].Number == 1 ? ((long)df[0].Value).ToString() : df[0].Number == 2 ? Text(df[0]) : "?");
                }
        }
        return (name, dims);
    }

    private static byte[] RewriteValueInfo(ReadOnlyMemory<byte> valueInfo, string batchName)
    {
        var w = new ProtoWriter();
        foreach (var f in ProtoReader.ReadFields(valueInfo))
        {
            if (f.Number != 2) { w.Field(f); continue; }
            w.Message(2, type =>
            {
                foreach (var tf in ProtoReader.ReadFields(f.Payload))
                {
                    if (tf.Number != 1) { type.Field(tf); continue; }
                    type.Message(1, tensor =>
                    {
                        foreach (var tt in ProtoReader.ReadFields(tf.Payload))
                        {
                            if (tt.Number != 2) { tensor.Field(tt); continue; }
                            tensor.Message(2, shape =>
                            {
                                bool first = true;
                                foreach (var d in ProtoReader.ReadFields(tt.Payload))
                                {
                                    if (d.Number == 1 && first)
                                    {
                                        first = false;
                                        var df = ProtoReader.ReadFields(d.Payload);
                                        if (df.Count > 0 && df[0].Number == 1 && df[0].Value == 1)
                                        {
                                            shape.Message(1, dim => dim.String(2, batchName));
                                            continue;
                                        }
                                    }
                                    shape.Field(d);
                                }
                            });
                        }
                    });
                }
            });
        }
        return w.ToArray();
    }
}
