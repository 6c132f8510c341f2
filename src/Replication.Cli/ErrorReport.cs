using System.Reflection;
using System.Runtime.InteropServices;
using Replication.Figures;

namespace Replication.Cli;

/// <summary>
/// Writes how a run ended with an exception: a user error as one line (<c>error: …</c>, the option, parameter or file named
/// in it), a bug as its stack trace and a request to report it with the version. Returns the exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class ErrorReport
{
    public static int Write(Exception e, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(error);
        int code = ExitCodes.For(e);
        if (code != ExitCodes.InternalError)
        {
            error.WriteLine($"error: {OneLine(InOptions(e))}");
            return code;
        }
        error.WriteLine($"internal error: {e}");
        error.WriteLine($"This is a bug in replication {Version} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}), " +
                        "not a problem with your input: please report it with the command line and this output.");
        return code;
    }

    /// <summary>The message with the library's parameter names replaced by the options that set them.</summary>
    public static string InOptions(Exception e) => e switch
    {
        FigureParameterException f => f.Render(p => "--" + Replication.Core.Naming.KebabCase(p)),
        ParameterException p => p.Render(OptionNames.For(p.Parameter)),
        _ => e.Message,
    };

    /// <summary>The tool's version (the package version, without the source revision).</summary>
    public static string Version { get; } =
        typeof(ErrorReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ErrorReport).Assembly.GetName().Version?.ToString() ?? "?";

    private static string OneLine(string message) =>
        string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
