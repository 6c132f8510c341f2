using System.Reflection;
using System.Runtime.InteropServices;

namespace Replication.Reporting;

/// <summary>Where a result came from: the library's version (with the git commit it was built from, when the build saw one),
/// the date, the machine.</summary>
public static class Provenance
{
    /// <summary>The informational version of this library, e.g. "1.0.0+4cc38f1…" (the SDK appends the commit).</summary>
    public static string Version =>
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Machine =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    public static string Now => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
