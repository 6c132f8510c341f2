namespace Replication.Tests;

internal static class Fixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", .. parts]);

    public static string TempFolder()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "replication-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The repository folder (for data/demo-sources).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Research.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (Research.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The float32 (or uint8, as floats) data of a .npy fixture of any shape (the library's reader takes 1-D and 2-D arrays only).</summary>
    public static float[] ReadNpyFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int offset = (major == 1 ? 10 : 12) + headerLength;
        string header = System.Text.Encoding.Latin1.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (header.Contains("'|u1'")) return bytes.AsSpan(offset).ToArray().Select(b => (float)b).ToArray();
        if (!header.Contains("'<f4'")) throw new InvalidDataException($"{path}: a float32 or uint8 fixture is expected, the header says {header}");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset)).ToArray();
    }

    /// <summary>The int64 data of a .npy fixture.</summary>
    public static long[] ReadNpyLongs(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int offset = (major == 1 ? 10 : 12) + headerLength;
        string header = System.Text.Encoding.Latin1.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'<i8'")) throw new InvalidDataException($"{path}: an int64 fixture is expected, the header says {header}");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes.AsSpan(offset)).ToArray();
    }
}
