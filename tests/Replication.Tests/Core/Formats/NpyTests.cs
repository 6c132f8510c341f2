using System.Globalization;
using Replication.Core.Formats;
using Replication.Core.Vectors;

namespace Replication.Tests.Core.Formats;

public class NpyTests
{
    private static float[] Expected() => File.ReadAllLines(Fixtures.Path("npy", "float32_7x5.txt"))
        .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Theory]
    [InlineData("float32_7x5.npy", 0.0)]
    [InlineData("float64_7x5.npy", 0.0)]
    [InlineData("float16_7x5.npy", 2e-3)]
    public void ReadsArraysWrittenByNumpy(string file, double tolerance)
    {
        var data = NpyMatrix.ReadAll(Fixtures.Path("npy", file), out long rows, out int cols);
        Assert.Equal(7, rows);
        Assert.Equal(5, cols);
        var expected = Expected();
        for (int i = 0; i < data.Length; i++)
            Assert.True(Math.Abs(expected[i] - data[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{i}: {data[i]} vs {expected[i]}");
    }

    [Fact]
    public void RoundTripKeepsShapeAndValuesAndIsNumpyShaped()
    {
        var dir = Fixtures.TempFolder();
        var path = Path.Combine(dir, "x.npy");
        var data = Enumerable.Range(0, 12).Select(i => i * 0.5f - 2).ToArray();
        NpyWriter.Write(path, data, 4);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, NpyHeader.WrittenHeaderBytes % 64);
        Assert.Equal((byte)'\n', bytes[NpyHeader.WrittenHeaderBytes - 1]);
        Assert.Contains("'shape': (3, 4)", System.Text.Encoding.ASCII.GetString(bytes, 10, NpyHeader.WrittenHeaderBytes - 10));
        using var m = NpyMatrix.Open(path);
        var back = new float[12];
        m.ReadRows(0, 3, back);
        Assert.Equal(data, back);
        var middle = new float[4];
        m.ReadRows(1, 1, middle);
        Assert.Equal(data[4..8], middle);
        Assert.Empty(Directory.GetFiles(dir, "*.partial"));
    }

    [Fact]
    public void AnUncommittedWriterLeavesNothingBehind()
    {
        var dir = Fixtures.TempFolder();
        using (var w = new NpyWriter(Path.Combine(dir, "half.npy"), 3))
            w.WriteRows([1f, 2f, 3f]);
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("fortran_7x5.npy", "Fortran")]
    [InlineData("int32_7x5.npy", "dtype")]
    public void UnsupportedLayoutsAreClearErrors(string file, string words)
    {
        var e = Assert.Throws<InputDataException>(() => NpyMatrix.Open(Fixtures.Path("npy", file)));
        Assert.Contains(file, e.Message);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void TruncatedAndGarbageFilesAreClearErrors()
    {
        var dir = Fixtures.TempFolder();
        var good = File.ReadAllBytes(Fixtures.Path("npy", "float32_7x5.npy"));
        var truncated = Path.Combine(dir, "truncated.npy");
        File.WriteAllBytes(truncated, good[..(good.Length - 10)]);
        Assert.Contains("truncated", Assert.Throws<InputDataException>(() => NpyMatrix.Open(truncated)).Message);
        var garbage = Path.Combine(dir, "garbage.npy");
        File.WriteAllText(garbage, "hello world, not numpy");
        Assert.Contains("magic", Assert.Throws<InputDataException>(() => NpyMatrix.Open(garbage)).Message);
    }

    [Fact]
    public void ConcatenatedSourcesReadAcrossFileBoundaries()
    {
        var a = new InMemoryVectors([1, 2, 3, 4], 2, "a");
        var b = new InMemoryVectors([5, 6], 2, "b");
        var c = new InMemoryVectors([7, 8, 9, 10], 2, "c");
        var all = new ConcatenatedVectors([a, b, c]);
        Assert.Equal(5, all.Count);
        var buf = new float[6];
        all.ReadRows(1, 3, buf);
        Assert.Equal([3f, 4, 5, 6, 7, 8], buf);
        Assert.Throws<InputDataException>(() => new ConcatenatedVectors([a, new InMemoryVectors([1, 2, 3], 3, "d")]));
    }
}
