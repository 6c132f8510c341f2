using System.Collections;
using Razorvine.Pickle;

namespace Replication.Core.Formats;

/// <summary>
/// Reads Python pickles (Razorvine.Pickle) including the NumPy arrays and scalars that dataset ground-truth files
/// hold: dicts become <see cref="Hashtable"/>, lists <see cref="ArrayList"/>, tuples <c>object[]</c>, NumPy arrays
/// <see cref="NumpyArray"/>. Converters turn any of those into plain arrays.
/// </summary>
public static class PythonPickle
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        foreach (var module in new[] { "numpy.core.multiarray", "numpy._core.multiarray" })
        {
            Unpickler.registerConstructor(module, "_reconstruct", new Constructor(_ => new NumpyArray()));
            Unpickler.registerConstructor(module, "scalar", new Constructor(args => NumpyArray.Scalar((NumpyDtype)args[0], (byte[])args[1])));
        }
        Unpickler.registerConstructor("numpy", "dtype", new Constructor(args => new NumpyDtype((string)args[0])));
        return true;
    });

    public static object Load(string path)
    {
        if (!File.Exists(path))
            throw new InputMissingException($"{path}: pickle file not found", path);
        _ = Registered.Value;
        try
        {
            using var stream = File.OpenRead(path);
            using var unpickler = new Unpickler();
            return unpickler.load(stream);
        }
        catch (Exception e) when (e is PickleException or InvalidCastException or InvalidOperationException or IndexOutOfRangeException or EndOfStreamException)
        {
            throw new InputDataException($"{path}: not a readable Python pickle ({e.Message})", e);
        }
    }

    public static long[] ToLongArray(object? value, string what) => value switch
    {
        null => [],
        NumpyArray a => a.ToDoubles().Select(v => (long)v).ToArray(),
        IEnumerable e and not string => e.Cast<object>().Select(v => Convert.ToInt64(v is NumpyArray s ? s.ToDoubles()[0] : v)).ToArray(),
        _ => throw new InputDataException($"{what}: expected a list of integers, found {value.GetType().Name}"),
    };

    public static double[] ToDoubleArray(object? value, string what) => value switch
    {
        null => [],
        NumpyArray a => a.ToDoubles(),
        IEnumerable e and not string => e.Cast<object>().Select(v => Convert.ToDouble(v is NumpyArray s ? s.ToDoubles()[0] : v)).ToArray(),
        _ => throw new InputDataException($"{what}: expected a list of numbers, found {value.GetType().Name}"),
    };

    public static string[] ToStringArray(object? value, string what) => value is IEnumerable e and not string
        ? e.Cast<object>().Select(v => v as string ?? throw new InputDataException($"{what}: expected strings, found {v?.GetType().Name}")).ToArray()
        : throw new InputDataException($"{what}: expected a list of strings");

    private sealed class Constructor(Func<object[], object> make) : IObjectConstructor
    {
        public object construct(object[] args) => make(args);
    }
}
