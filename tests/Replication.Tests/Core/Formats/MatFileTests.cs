using Replication.Core.Formats;

namespace Replication.Tests.Core.Formats;

/// <summary>The MAT-file v5 reader against files written by scipy.io.savemat and by hand (fixtures/datasets/make_sweep_datasets.py).</summary>
public class MatFileTests
{
    private static string Mat(string name) => Fixtures.Path("datasets", "mat", name);

    [Theory]
    [InlineData("double", "double")]
    [InlineData("single", "single")]
    [InlineData("uint8", "uint8")]   // scipy writes 4 uint8 values in the small-data-element form
    [InlineData("uint16", "uint16")]
    [InlineData("int32", "int32")]
    [InlineData("int64", "int64")]
    [InlineData("int8", "int8")]
    public void ReadsEveryNumericClassCompressedOrNot(string name, string cls)
    {
        foreach (var variant in new[] { "plain", "z" })
        {
            var file = MatFile.Read(Mat($"{name}-{variant}.mat"));
            Assert.Equal([1.0, 2, 3, 102], file.Vector("labels"));
            var v = Assert.Single(file.Variables);
            Assert.Equal(cls, v.Class);
            Assert.Equal([1, 4], v.Dimensions);
            Assert.Equal("1×4", v.Size);
            Assert.StartsWith("MATLAB 5.0 MAT-file", file.Description);
        }
    }

    [Theory]
    [InlineData("big-endian.mat")]       // 'MI' byte order
    [InlineData("double-as-uint8.mat")]  // class double stored as miUINT8, as MATLAB writes small integers
    public void ReadsHandMadeFormsScipyDoesNotWrite(string name)
    {
        var file = MatFile.Read(Mat(name));
        Assert.Equal([1.0, 2, 3, 102], file.Vector("labels"));
        Assert.Equal("double", file.Get("labels").Class);
    }

    [Fact]
    public void ReadsDataInTheSmallElementForm()
    {
        var v = MatFile.Read(Mat("small-data.mat")).Get("ab");
        Assert.Equal("uint16", v.Class);
        Assert.Equal([7.0, 9], v.Values!);
    }

    [Fact]
    public void KeepsSeveralVariablesAndColumnMajorOrder()
    {
        var file = MatFile.Read(Mat("two-variables-z.mat"));
        Assert.Equal(["m", "v"], file.Variables.Select(v => v.Name).Order());
        var m = file.Get("m");
        Assert.Equal([2, 3], m.Dimensions);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], m.Values!);
        Assert.Equal([7.5], file.Vector("v"));
        Assert.Contains("2×3", Assert.Throws<InvalidDataException>(() => file.Vector("m")).Message);
        var missing = Assert.Throws<InvalidDataException>(() => file.Vector("labels")).Message;
        Assert.Contains("two-variables-z.mat", missing);
        Assert.Contains("found: m, v", missing);
    }

    [Theory]
    [InlineData("cell.mat", "a cell array")]
    [InlineData("struct.mat", "a struct")]
    [InlineData("char.mat", "a char array")]
    [InlineData("sparse.mat", "a sparse matrix")]
    [InlineData("complex.mat", "a complex array")]
    public void OtherKindsAreListedButRefusedWhenAskedFor(string name, string kind)
    {
        var file = MatFile.Read(Mat(name));
        Assert.Null(file.Get("labels").Values);
        var e = Assert.Throws<InvalidDataException>(() => file.Vector("labels"));
        Assert.Contains(name, e.Message);
        Assert.Contains(kind, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("v4.mat", "version 4")]
    [InlineData("v73.mat", "version 7.3 (HDF5)")]
    [InlineData("count-mismatch.mat", "1×5 (5 elements) but stores 32 bytes")]
    public void OtherVersionsAndMalformedFilesAreRefusedAtOnce(string name, string what)
    {
        var e = Assert.Throws<InvalidDataException>(() => MatFile.Read(Mat(name)));
        Assert.Contains(name, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void DamagedFilesAreClearErrors()
    {
        var dir = Fixtures.TempFolder();
        string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
        var plain = File.ReadAllBytes(Mat("double-plain.mat"));
        var packed = File.ReadAllBytes(Mat("double-z.mat"));

        var truncated = Write("truncated.mat", plain[..(plain.Length - 12)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => MatFile.Read(truncated)).Message);

        var badZlib = packed.ToArray();
        for (int i = 140; i < badZlib.Length - 4; i++) badZlib[i] ^= 0x5A;
        var zlib = Write("zlib.mat", badZlib);
        var e = Assert.Throws<InvalidDataException>(() => MatFile.Read(zlib));
        Assert.Contains("zlib.mat", e.Message);
        Assert.Contains("compressed", e.Message);

        var cut = Write("cut.mat", packed[..(packed.Length - 10)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => MatFile.Read(cut)).Message);

        var noMark = plain.ToArray();
        noMark[126] = (byte)'X';
        Assert.Contains("byte-order", Assert.Throws<InvalidDataException>(() => MatFile.Read(Write("mark.mat", noMark))).Message);

        Assert.Contains("not a MAT-file", Assert.Throws<InvalidDataException>(() => MatFile.Read(Write("text.mat", "{\"labels\": [1]}"u8.ToArray()))).Message);
        Assert.Contains("header", Assert.Throws<InvalidDataException>(() => MatFile.Read(Write("short.mat", plain[..60]))).Message);
        Assert.Contains("absent.mat", Assert.Throws<FileNotFoundException>(() => MatFile.Read(Path.Combine(dir, "absent.mat"))).Message);
    }
}
