using System.Text;
using Replication.Core.Formats;

namespace Replication.Tests.Core.Formats;

/// <summary>Hostile .npy headers: every field checked, the data size validated against the file before any allocation.</summary>
public class NpyHeaderTests
{
    /// <summary>A format-1.0 file with the given header dictionary followed by <paramref name="dataBytes"/> zero bytes.</summary>
    internal static string Write(string dict, int dataBytes = 80)
    {
        var text = dict.PadRight(118 - 1) + "\n";
        var bytes = new List<byte>(NpyHeader.Magic) { 1, 0, 118, 0 };
        bytes.AddRange(Encoding.ASCII.GetBytes(text));
        bytes.AddRange(new byte[dataBytes]);
        var path = Path.Combine(Fixtures.TempFolder(), "hostile.npy");
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static string Header(string shape, string descr = "<f4") => $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";

    [Theory]
    [InlineData("(-1, 5)", "negative")]
    [InlineData("(4, -5)", "negative")]
    [InlineData("(99999999999999999999, 5)", "out of range")]
    [InlineData("(2, 9999999999)", "out of range")]
    [InlineData("(4611686018427387904, 4)", "overflows")] // 2^62 × 4 × 4 bytes wraps to 0 in 64 bits
    [InlineData("(2305843009213693952, 8)", "overflows")]
    [InlineData("(1000000000, 1000)", "truncated")]
    [InlineData("(2, 2, 5)", "3-D")]
    [InlineData("(2, a)", "malformed")]
    public void HostileShapesAreOneClearErrorNamingTheFile(string shape, string words)
    {
        var path = Write(Header(shape));
        var e = Assert.Throws<InputDataException>(() => { using var m = NpyMatrix.Open(path); NpyMatrix.ReadAll(path, out _, out _); });
        Assert.Contains(path, e.Message);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void AValidHandWrittenHeaderStillReads()
    {
        var path = Write(Header("(4, 5)"));
        var data = NpyMatrix.ReadAll(path, out long rows, out int columns);
        Assert.Equal((4L, 5), (rows, columns));
        Assert.All(data, v => Assert.Equal(0f, v));
        Assert.Equal(5L, NpyMatrix.Open(Write(Header("(5,)"), 20)).Rows);
    }
}
