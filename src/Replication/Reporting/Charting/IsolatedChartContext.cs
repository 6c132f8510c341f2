using System.Reflection;
using System.Runtime.Loader;

namespace Replication.Reporting.Charting;

/// <summary>
/// The AssemblyLoadContext that holds Plotly.NET and its own FSharp.Core (10.1) apart from whatever the host has
/// loaded (the .NET Interactive kernel loads FSharp.Core 10.0 first). Every assembly found in the charts folder
/// is loaded from there; everything else (the framework) comes from the host.
/// </summary>
internal sealed class IsolatedChartContext(string folder) : AssemblyLoadContext("Replication.Charts", isCollectible: false)
{
    public string Folder { get; } = folder;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(Folder, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) => IntPtr.Zero;
}
