namespace Replication.Core.Onnx;

/// <summary>An attribute of an ONNX node.</summary>
public sealed record NodeAttribute(string Name, Action<ProtoWriter> Value)
{
    public static NodeAttribute Int(string name, long value) => new(name, w => { w.Varint(3, value); w.Varint(20, 2); });
    public static NodeAttribute Float(string name, float value) => new(name, w => { w.Float(2, value); w.Varint(20, 1); });
    public static NodeAttribute Ints(string name, params long[] values) => new(name, w => { foreach (var v in values) w.Varint(8, v); w.Varint(20, 7); });

    internal void Write(ProtoWriter w)
    {
        w.String(1, Name);
        Value(w);
    }
}
