using Replication.Core.Files;

namespace Replication.Tests.Core.Files;

/// <summary>
/// The lock appears with its content at once (written aside, moved into place without overwriting), so a kill at any moment
/// leaves either no lock or a readable one; an unreadable lock (left by an older version killed between creating and writing
/// it) is stale once it is older than the grace period; a process only ever deletes its own lock.
/// </summary>
public class OutputLockTests
{
    [Fact]
    public void TheLockIsReadableAsSoonAsItExistsAndNoTemporaryFileRemains()
    {
        var dir = Fixtures.TempFolder();
        using (var held = OutputLock.Acquire(dir))
        {
            var text = File.ReadAllText(held.Path);
            Assert.Contains($"\"pid\":{Environment.ProcessId}", text);
            Assert.Throws<OutputLockedException>(() => OutputLock.Acquire(dir));
        }
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnEmptyLockIsRefusedWhileFreshAndTakenOverOnceOld()
    {
        var dir = Fixtures.TempFolder();
        var path = Path.Combine(dir, OutputLock.FileName);
        File.WriteAllText(path, "");
        var e = Assert.Throws<OutputLockedException>(() => OutputLock.Acquire(dir));
        Assert.Contains("unreadable", e.Message);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - OutputLock.UnreadableGrace - TimeSpan.FromSeconds(5));
        using var taken = OutputLock.Acquire(dir);
        Assert.Contains($"\"pid\":{Environment.ProcessId}", File.ReadAllText(path));
    }

    [Fact]
    public void DisposeLeavesAnotherProcesssLockInPlace()
    {
        var dir = Fixtures.TempFolder();
        var held = OutputLock.Acquire(dir);
        File.WriteAllText(held.Path, "{\"host\":\"elsewhere\",\"pid\":1}"); // taken over by someone else meanwhile
        held.Dispose();
        Assert.True(File.Exists(held.Path));
    }
}
