using System.Runtime.InteropServices;

namespace Replication.Core.Formats;

/// <summary>A NumPy array as pickled (shape, dtype, raw data), converted on demand.</summary>
public sealed class NumpyArray
{
    public long[] Shape { get; private set; } = [];
    public NumpyDtype? Dtype { get; private set; }
    private byte[] _data = [];

    internal static NumpyArray Scalar(NumpyDtype dtype, byte[] data) => new() { Shape = [], Dtype = dtype, _data = data };

    // called by the unpickler's BUILD opcode with (version, shape, dtype, is_fortran, data)
    public void __setstate__(object state)
    {
        if (state is not object[] t || t.Length < 5)
            throw new InputDataException("unsupported NumPy array pickle state");
        Shape = ((object[])t[1]).Select(Convert.ToInt64).ToArray();
        Dtype = (NumpyDtype)t[2];
        _data = t[4] as byte[] ?? throw new InputDataException("NumPy object arrays are not supported");
    }

    public double[] ToDoubles()
    {
        var kind = Dtype?.Kind ?? throw new InputDataException("NumPy array without dtype");
        if (Dtype.ByteOrder == '>')
            throw new InputDataException("big-endian NumPy arrays are not supported");
        return kind switch
        {
            "f8" => MemoryMarshal.Cast<byte, double>(_data).ToArray(),
            "f4" => MemoryMarshal.Cast<byte, float>(_data).ToArray().Select(v => (double)v).ToArray(),
            "i8" => MemoryMarshal.Cast<byte, long>(_data).ToArray().Select(v => (double)v).ToArray(),
            "i4" => MemoryMarshal.Cast<byte, int>(_data).ToArray().Select(v => (double)v).ToArray(),
            "u8" => MemoryMarshal.Cast<byte, ulong>(_data).ToArray().Select(v => (double)v).ToArray(),
            "u4" => MemoryMarshal.Cast<byte, uint>(_data).ToArray().Select(v => (double)v).ToArray(),
            "i2" => MemoryMarshal.Cast<byte, short>(_data).ToArray().Select(v => (double)v).ToArray(),
            "u1" or "b1" => _data.Select(v => (double)v).ToArray(),
            _ => throw new InputDataException($"NumPy dtype '{kind}' is not supported"),
        };
    }
}
