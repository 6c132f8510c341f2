using System.Buffers.Binary;
using System.Text;

namespace Replication.Core.Onnx;

/// <summary>Minimal protocol-buffers wire-format writer: enough to emit ONNX models.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "a MemoryStream holds only managed memory")]
public sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint((ulong)value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>Re-emits a field exactly as it was read.</summary>
    public ProtoWriter Field(ProtoField field)
    {
        switch (field.WireType)
        {
            case 2: return Bytes(field.Number, field.Payload.Span);
            case 0: Tag(field.Number, 0); RawVarint(field.Value); return this;
            case 1:
                Tag(field.Number, 1);
                Span<byte> b8 = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(b8, field.Value);
                _stream.Write(b8);
                return this;
            default:
                Tag(field.Number, 5);
                Span<byte> b4 = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(b4, (uint)field.Value);
                _stream.Write(b4);
                return this;
        }
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
    }
}
