using System.Diagnostics;
using System.Reflection;

namespace Replication.Images;

/// <summary>
/// The one rule for failures while opening, identifying or decoding one image file: an exception from a third-party
/// decoder (ImageSharp, SkiaSharp) or from the file system belongs to that file, which is skipped with the exception's
/// type and message; any other exception comes from our own code, is a bug, and must surface.
/// </summary>
public static class ImageFault
{
    private static readonly string[] DecoderAssemblies = ["SixLabors.", "SkiaSharp"];

    /// <summary>Whether <paramref name="e"/> is a failure of one file (skip it) rather than a bug (let it surface).</summary>
    public static bool IsPerFile(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            return true;
        return ThrownInsideDecoder(e);
    }

    /// <summary>"Type: first line of the message" (for an <see cref="ImageDecodeException"/>, its reason and the type that caused it).</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ImageDecodeException d)
            return d.InnerException is { } inner && !d.Reason.Contains(inner.GetType().Name, StringComparison.Ordinal)
                ? $"{d.Reason} ({inner.GetType().Name})"
                : d.Reason;
        return $"{e.GetType().Name}: {FirstLine(e.Message)}";
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('\r');

    /// <summary>The innermost stack frame outside the base class library decides: a decoder library's frame makes it the file's fault.</summary>
    private static bool ThrownInsideDecoder(Exception e)
    {
        foreach (var frame in new StackTrace(e, fNeedFileInfo: false).GetFrames())
        {
            var assembly = frame.GetMethod()?.DeclaringType?.Assembly;
            if (assembly is null || IsBaseLibrary(assembly))
                continue;
            string name = assembly.GetName().Name ?? "";
            return DecoderAssemblies.Any(d => name.StartsWith(d, StringComparison.Ordinal));
        }
        return false;
    }

    private static bool IsBaseLibrary(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
        return name is "System.Private.CoreLib" or "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal);
    }
}
