using Replication.Images;
using Replication.Analyses.Scanning;

namespace Replication.Tests.Analyses.Scanning;

public class DuplicateFilesTests
{
    [Fact]
    public void ByteIdenticalFilesAreFoundInsideAndAcrossTheSets()
    {
        var dir = Fixtures.TempFolder();
        ImageRecord Write(string name, byte[] bytes)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, bytes);
            return new ImageRecord(name, path, name);
        }
        var t1 = Write("t1.png", [1, 2, 3, 4]);
        var t2 = Write("t2.png", [1, 2, 3, 4]);       // duplicates t1
        var t3 = Write("t3.png", [1, 2, 3, 5]);       // same size, other content
        var g1 = Write("g1.png", [1, 2, 3, 4]);       // a copy of t1
        var g2 = Write("g2.png", [9, 9]);
        var r = DuplicateFiles.Find([g1, g2], [t1, t2, t3]);
        Assert.Equal(1, r.TrainingDuplicates);
        Assert.Equal(0, r.GeneratedDuplicates);
        Assert.Equal(1, r.Across);
        Assert.Equal(g1.Path, r.AcrossExample?.Generated);
        Assert.Contains(r.AcrossExample?.Training, new[] { t1.Path, t2.Path });
        var warnings = DuplicateFiles.Warnings(r).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("byte-identical to a training file", warnings[0]);
        Assert.Empty(DuplicateFiles.Warnings(DuplicateFiles.Find([g2], [t1, t3])));
    }
}
