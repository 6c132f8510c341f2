using System.Text;
using CsCheck;
using Replication.Core.Formats;

namespace Replication.Tests.Core.Formats;

/// <summary>Properties of the .npy reader (CsCheck; a failure prints the seed that reproduces it).</summary>
public class NpyPropertyTests
{
    [Fact]
    public void WrittenMatricesReadBackBitExactForAnyShapeAndValue()
    {
        var dir = Fixtures.TempFolder();
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 20]).SelectMany((rows, cols) => Gen.Float.Array[rows * cols].Select(data => (rows, cols, data)))
            .Sample(t =>
            {
                var path = Path.Combine(dir, $"{Guid.NewGuid():N}.npy");
                using (var w = new NpyWriter(path, t.cols)) { w.WriteRows(t.data); w.Commit(); }
                var back = NpyMatrix.ReadAll(path, out long rows, out int cols);
                Assert.Equal((t.rows, t.cols), ((int)rows, cols));
                Assert.Equal(t.data.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
            }, iter: 200);
    }

    private static readonly Gen<string> Dimension = Gen.OneOf(
        Gen.Int[0, 50].Select(i => i.ToString()),
        Gen.Long.Select(l => l.ToString()),
        Gen.Const("99999999999999999999"),
        Gen.Const("4611686018427387904"),
        Gen.Const(""),
        Gen.String[Gen.Char["0123456789-+ x.eE"], 1, 6]);

    [Fact]
    public void AnyShapeInTheHeaderIsReadWithinTheFileOrRefusedAsInvalidData()
    {
        var dir = Fixtures.TempFolder();
        Gen.Select(Dimension.Array[0, 4], Gen.Int[0, 400], Gen.OneOf(Gen.Const("<f4"), Gen.Const("<f8"), Gen.Const("<f2"), Gen.Const("|u1"), Gen.Const(">f4")))
            .Sample((dims, dataBytes, descr) =>
            {
                string shape = "(" + string.Join(", ", dims) + (dims.Length == 1 ? ",)" : ")");
                var text = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}".PadRight(246) + "\n";
                var bytes = new List<byte>(NpyHeader.Magic) { 1, 0, (byte)(text.Length & 0xFF), (byte)(text.Length >> 8) };
                bytes.AddRange(Encoding.ASCII.GetBytes(text));
                bytes.AddRange(new byte[dataBytes]);
                var path = Path.Combine(dir, $"{Guid.NewGuid():N}.npy");
                File.WriteAllBytes(path, bytes.ToArray());
                try
                {
                    using var m = NpyMatrix.Open(path);
                    Assert.True(m.Rows >= 0 && m.Columns >= 0);
                    Assert.True(m.Header.DataOffset + m.Rows * m.Columns * m.Header.ElementSize <= bytes.Count);
                    var all = new float[m.Rows * m.Columns];
                    m.ReadRows(0, (int)m.Rows, all);
                }
                catch (InputDataException e)
                {
                    Assert.Contains(path, e.Message);
                }
            }, iter: 500);
    }
}
