using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Replication.Images;

/// <summary>
/// File-system calls on raw byte paths (Linux, through Tmds.LibC): directory entries as the bytes the kernel stores, which
/// need not be UTF-8, and device + inode, which .NET's string APIs do not give.
/// </summary>
internal static unsafe class PosixFiles
{
    public enum Kind { Missing, File, Directory, Link, Other }

    /// <summary><c>lstat</c> (<paramref name="follow"/> false) or <c>stat</c>; errno 0 on success.</summary>
    public static Kind Stat(byte[] path, bool follow, out FileId id, out int errno)
    {
        stat st;
        int rc;
        fixed (byte* p = Terminated(path))
            rc = follow ? stat(p, &st) : lstat(p, &st);
        if (rc != 0)
        {
            errno = LibC.errno;
            id = default;
            return Kind.Missing;
        }
        errno = 0;
        id = new FileId(st.st_dev, st.st_ino);
        var type = st.st_mode & S_IFMT;
        return type == S_IFREG ? Kind.File : type == S_IFDIR ? Kind.Directory : type == S_IFLNK ? Kind.Link : Kind.Other;
    }

    /// <summary>The names in a directory (without "." and ".."), as raw bytes; an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot be listed.</summary>
    public static List<byte[]> EntryNames(byte[] directory, string shownAs)
    {
        int fd;
        fixed (byte* p = Terminated(directory))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0)
            throw Error(LibC.errno, shownAs);
        try
        {
            var names = new List<byte[]>();
            var buffer = new byte[1 << 16];
            int getdents64 = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => 217,
                Architecture.Arm64 => 61,
                var a => throw new EnvironmentException($"listing folders by raw names is implemented for x64 and arm64 Linux, not {a}"),
            };
            while (true)
            {
                int n;
                fixed (byte* b = buffer)
                    n = (int)syscall(getdents64, fd, b, buffer.Length);
                if (n < 0)
                    throw Error(LibC.errno, shownAs);
                if (n == 0)
                    return names;
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                for (int at = 0; at < n;)
                {
                    int reclen = BitConverter.ToUInt16(buffer, at + 16);
                    int start = at + 19, end = Array.IndexOf(buffer, (byte)0, start, reclen - 19);
                    var name = buffer.AsSpan(start, (end < 0 ? at + reclen : end) - start).ToArray();
                    if (!(name is [(byte)'.'] or [(byte)'.', (byte)'.']))
                        names.Add(name);
                    at += reclen;
                }
            }
        }
        finally
        {
            _ = close(fd); // a read-only descriptor: nothing to flush, nothing to report
        }
    }

    public static Exception Error(int errno, string path)
    {
        string text = Describe(errno);
        return errno == EACCES || errno == EPERM
            ? new UnauthorizedAccessException($"{path}: {text}")
            : new IOException($"{path}: {text}");
    }

    public static string Describe(int errno)
    {
        var buffer = stackalloc byte[256];
        // the XSI strerror_r fills the buffer (glibc's GNU variant is exported as __strerror_r; Tmds binds the XSI one)
        return strerror_r(errno, buffer, 256) == 0 ? $"{Marshal.PtrToStringUTF8((nint)buffer)} (errno {errno})" : $"errno {errno}";
    }

    public static byte[] Bytes(string path) => Encoding.UTF8.GetBytes(path);

    public static byte[] Join(byte[] directory, byte[] name)
    {
        var joined = new byte[directory.Length + 1 + name.Length];
        directory.CopyTo(joined, 0);
        joined[directory.Length] = (byte)'/';
        name.CopyTo(joined, directory.Length + 1);
        return joined;
    }

    private static byte[] Terminated(byte[] path)
    {
        var z = new byte[path.Length + 1];
        path.CopyTo(z, 0);
        return z;
    }
}
