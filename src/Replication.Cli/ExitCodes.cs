namespace Replication.Cli;

/// <summary>
/// The exit codes of <c>replication</c>, and the one place that decides which exception ends with which. A user error (a
/// <see cref="UserInputException"/>, or an exception of .NET's own that by its type is about a file) is one line; anything
/// else is a bug (<see cref="InternalError"/>, reported with its stack trace by <see cref="ErrorReport"/>). README.md lists them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done (images that could not be read are listed in skipped.csv, not an error).</summary>
    public const int Success = 0;

    /// <summary>A file or folder that was given exists but cannot be used: malformed, unreadable, inconsistent with another
    /// input, nothing in it readable; or an output that cannot be written.</summary>
    public const int InputData = 1;

    /// <summary>The command line: an unknown command or option, a missing or malformed value, a value out of range, options
    /// that do not go together.</summary>
    public const int Usage = 2;

    /// <summary>A file or folder named on the command line (or in a list it names) does not exist.</summary>
    public const int InputMissing = 3;

    /// <summary>The machine lacks something the run needs that is not an input (a native library, the chart renderer, a platform).</summary>
    public const int Environment = 4;

    /// <summary>A bug: any other exception (EX_SOFTWARE of sysexits.h).</summary>
    public const int InternalError = 70;

    /// <summary>The exit code an exception ends the run with.</summary>
    public static int For(Exception e) => e switch
    {
        UsageException => Usage,
        InputMissingException or FileNotFoundException or DirectoryNotFoundException => InputMissing,
        EnvironmentException or DllNotFoundException => Environment,
        // InvalidDataException is .NET's "malformed data" (and the denoiser cards' reader throws it); IOException and
        // UnauthorizedAccessException are the file system refusing a file the user named
        InputDataException or InvalidDataException or IOException or UnauthorizedAccessException => InputData,
        _ => InternalError,
    };

    /// <summary>Whether <paramref name="e"/> is the user's to fix (one line) rather than a bug.</summary>
    public static bool IsUserError(Exception e) => For(e) != InternalError;
}
