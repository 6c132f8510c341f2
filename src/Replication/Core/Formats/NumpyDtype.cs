namespace Replication.Core.Formats;

/// <summary>A NumPy dtype as pickled: its type string and, after BUILD, its byte order.</summary>
public sealed class NumpyDtype(string kind)
{
    public string Kind { get; } = kind;
    public char ByteOrder { get; private set; } = '<';

    // called by the unpickler's BUILD opcode
    public void __setstate__(object state)
    {
        if (state is object[] { Length: > 1 } t && t[1] is string order && order.Length == 1) ByteOrder = order[0];
    }
}
