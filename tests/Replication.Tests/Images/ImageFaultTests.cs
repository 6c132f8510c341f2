using Replication.Images;
using SixLabors.ImageSharp;

namespace Replication.Tests.Images;

public class ImageFaultTests
{
    [Fact]
    public void ExceptionsFromTheDecoderLibraryOrTheFileSystemArePerFileOnesFromOurCodeAreNot()
    {
        var path = Path.Combine(Fixtures.TempFolder(), "b.jpg");
        Embeddings.EmbeddingPipelineTests.WriteJpegThatCrashesIdentify(path);
        var fromImageSharp = Assert.Throws<NullReferenceException>(() => { using var s = File.OpenRead(path); Image.Identify(s); });
        Assert.True(ImageFault.IsPerFile(fromImageSharp));
        Assert.StartsWith("NullReferenceException: ", ImageFault.Describe(fromImageSharp));

        var fromFileSystem = Assert.Throws<FileNotFoundException>(() => File.OpenRead(Path.Combine(Fixtures.TempFolder(), "none.png")));
        Assert.True(ImageFault.IsPerFile(fromFileSystem));

        var ours = Assert.Throws<NullReferenceException>(() => OurBug(null));
        Assert.False(ImageFault.IsPerFile(ours));
        var oursIndex = Assert.Throws<IndexOutOfRangeException>(() => OurIndexBug(new int[1], 2));
        Assert.False(ImageFault.IsPerFile(oursIndex));
    }

    private static int OurBug(string? s) => s!.Length;

    private static int OurIndexBug(int[] a, int i) => a[i];
}
