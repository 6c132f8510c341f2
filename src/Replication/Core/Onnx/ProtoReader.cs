namespace Replication.Core.Onnx;

/// <summary>Minimal protocol-buffers wire-format reader: splits a message into its fields.</summary>
public static class ProtoReader
{
    public static List<ProtoField> ReadFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        int pos = 0;
        while (pos < span.Length)
        {
            ulong tag = ReadVarint(span, ref pos);
            int number = (int)(tag >> 3);
            int wire = (int)(tag & 7);
            if (number <= 0)
                throw new InputDataException($"invalid protobuf field number {number} at byte {pos}");
            switch (wire)
            {
                case 0:
                    fields.Add(new ProtoField(number, wire, ReadVarint(span, ref pos), default));
                    break;
                case 1:
                    Need(span, pos, 8);
                    fields.Add(new ProtoField(number, wire, BitConverter.ToUInt64(span.Slice(pos, 8)), default));
                    pos += 8;
                    break;
                case 2:
                    ulong len = ReadVarint(span, ref pos);
                    if (len > (ulong)(span.Length - pos))
                        throw new InputDataException($"protobuf field {number} claims {len} bytes but only {span.Length - pos} remain");
                    fields.Add(new ProtoField(number, wire, 0, message.Slice(pos, (int)len)));
                    pos += (int)len;
                    break;
                case 5:
                    Need(span, pos, 4);
                    fields.Add(new ProtoField(number, wire, BitConverter.ToUInt32(span.Slice(pos, 4)), default));
                    pos += 4;
                    break;
                default:
                    throw new InputDataException($"unsupported protobuf wire type {wire} for field {number}");
            }
        }
        return fields;
    }

    private static void Need(ReadOnlySpan<byte> span, int pos, int count)
    {
        if (pos + count > span.Length)
            throw new InputDataException("protobuf message ends inside a fixed-width field");
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= span.Length)
                throw new InputDataException("protobuf message ends inside a varint");
            byte b = span[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        throw new InputDataException("protobuf varint longer than 10 bytes");
    }
}
