using Replication.Embeddings;
using Replication.Images;
using Replication.Tests.Cli;

namespace Replication.Tests.Images;

/// <summary>Folder listing: loops, links out of the folder, unreadable folders and undecodable names are reported, never silently listed or dropped.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ImageCollectionTests
{
    private static string FolderWith(params string[] names)
    {
        var dir = Fixtures.TempFolder();
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, name))!);
            File.Copy(Fixtures.Path("preprocessing", "camera.png"), Path.Combine(dir, name));
        }
        return dir;
    }

    private static EmbeddingSet Embed(string dir)
    {
        using var extractor = FeatureExtractor.Open("pixels");
        return EmbeddingPipeline.Run(ImageCollection.FromFolder(dir), extractor);
    }

    [Fact]
    public void ASymlinkLoopIsListedOnceAndReported()
    {
        var dir = FolderWith("a.png", "b.png", "sub/c.png");
        Directory.CreateSymbolicLink(Path.Combine(dir, "sub", "loop"), "..");
        var set = Embed(dir);
        Assert.Equal(["a.png", "b.png", "sub/c.png"], set.Images.Select(i => i.Id));
        var skipped = Assert.Single(set.Skipped);
        Assert.EndsWith("sub/loop", skipped.Path);
        Assert.Contains("loop", skipped.Reason);
    }

    [Fact]
    public void LinksThatLeaveTheInputFolderAreNotFollowedByDefault()
    {
        var outside = FolderWith("x.png", "deeper/y.png");
        var dir = FolderWith("a.png");
        File.CreateSymbolicLink(Path.Combine(dir, "b.png"), Path.Combine(outside, "x.png"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "more"), Path.Combine(outside, "deeper"));
        File.CreateSymbolicLink(Path.Combine(dir, "c.png"), "a.png"); // inside: followed
        var set = Embed(dir);
        Assert.Equal(["a.png", "c.png"], set.Images.Select(i => i.Id));
        Assert.Equal(2, set.Skipped.Count);
        Assert.All(set.Skipped, s => Assert.Contains("outside the input folder", s.Reason));
    }

    [Fact]
    public void TheFolderGivenMayItselfBeASymlink()
    {
        var dir = FolderWith("a.png", "sub/b.png");
        var link = Path.Combine(Fixtures.TempFolder(), "linked");
        Directory.CreateSymbolicLink(link, dir);
        var set = Embed(link);
        Assert.Equal(["a.png", "sub/b.png"], set.Images.Select(i => i.Id));
        Assert.Empty(set.Skipped);
    }

    [Fact]
    public void ANonUtf8FileNameIsSkippedWithItsBytesInHex()
    {
        var dir = FolderWith("a.png");
        // the name f\xFF.png cannot be written through a .NET string: bash writes it
        var made = ProcessRunner.Run("bash", ["-c", "cp a.png $'f\\xff.png'"], workingDirectory: dir);
        Assert.Equal(0, made.ExitCode);
        var set = Embed(dir);
        Assert.Equal(["a.png"], set.Images.Select(i => i.Id));
        var skipped = Assert.Single(set.Skipped);
        Assert.Contains("not valid UTF-8", skipped.Reason);
        Assert.Contains("66ff2e706e67", skipped.Reason);
    }

    [Fact]
    public void ANamedPipeWithAnImageNameIsListedAsSkippedNotReadNorDropped()
    {
        var dir = FolderWith("a.png");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", ["pipe.png"], workingDirectory: dir).ExitCode);
        var set = Embed(dir); // reading the pipe would block forever: it must not be opened
        Assert.Equal(["a.png"], set.Images.Select(i => i.Id));
        var skipped = Assert.Single(set.Skipped);
        Assert.EndsWith("pipe.png", skipped.Path);
        Assert.Contains("not a regular file", skipped.Reason);
    }

    [Fact]
    public void AnUnreadableSubfolderIsReportedNotIgnored()
    {
        var dir = FolderWith("a.png", "locked/b.png");
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(Path.Combine(dir, "locked"), UnixFileMode.None);
        var outDir = Path.Combine(Fixtures.TempFolder(), "out");
        File.SetUnixFileMode(Path.GetDirectoryName(outDir)!, (UnixFileMode)0b111_111_111);
        var result = CliRunner.RunAsUnprivileged("embed", "--model", "pixels", "--images", dir, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var skippedCsv = File.ReadAllText(Path.Combine(outDir, "skipped.csv"));
        Assert.Contains("locked", skippedCsv);
        Assert.Contains("cannot list folder", skippedCsv);
    }

    [Fact]
    public void FollowSymlinksFollowsLinksOutOfTheFolderAndStillListsEachFolderOnce()
    {
        var outside = FolderWith("x.png", "deeper/y.png");
        var dir = FolderWith("a.png");
        File.CreateSymbolicLink(Path.Combine(dir, "b.png"), Path.Combine(outside, "x.png"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "more"), Path.Combine(outside, "deeper"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "again"), Path.Combine(outside, "deeper")); // the same folder twice
        Directory.CreateSymbolicLink(Path.Combine(outside, "deeper", "back"), dir); // and a loop through the outside
        var records = ImageCollection.FromFolder(dir, followSymlinks: true);
        Assert.Equal(["a.png", "again/y.png", "b.png"], records.Where(r => r.Refused is null).Select(r => r.Id));
        Assert.Equal(["again/back", "more"], records.Where(r => r.Refused is not null).Select(r => r.Id));
        Assert.All(records.Where(r => r.Refused is not null), r => Assert.Contains("same device and inode", r.Refused));
    }

    [Fact]
    public void OfTwoNamesForOneFolderTheFirstInByteOrderIsKept()
    {
        var dir = FolderWith("m/x.png");
        Directory.CreateSymbolicLink(Path.Combine(dir, "a-link"), "m");
        Directory.CreateSymbolicLink(Path.Combine(dir, "z-link"), "m");
        var records = ImageCollection.FromFolder(dir);
        Assert.Equal(["a-link/x.png"], records.Where(r => r.Refused is null).Select(r => r.Id));
        Assert.Equal(["m", "z-link"], records.Where(r => r.Refused is not null).Select(r => r.Id));
    }
}
