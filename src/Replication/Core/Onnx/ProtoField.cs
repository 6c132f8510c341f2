namespace Replication.Core.Onnx;

/// <summary>One field of a protocol-buffers message as it stands on the wire.</summary>
/// <param name="Number">The field number.</param>
/// <param name="WireType">0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</param>
/// <param name="Value">The varint or fixed value (wire types 0, 1, 5).</param>
/// <param name="Payload">The bytes of a length-delimited field (wire type 2).</param>
public readonly record struct ProtoField(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Payload);
