using Replication.Core;

namespace Replication.Cli;

/// <summary>
/// The command-line option that sets a library parameter: the library names its parameters (<see cref="ParameterException"/>,
/// <see cref="Figures.FigureParameterException"/>), and this is the one place that turns them into options. An option is the
/// parameter in kebab case (<c>GalleryRows</c> → <c>--gallery-rows</c>) unless listed here.
/// </summary>
public static class OptionNames
{
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["TopK"] = "--k",
        ["K"] = "--k",
        ["BatchSize"] = "--batch",
        ["BootstrapSamples"] = "--bootstrap",
        ["BasePrompt"] = "--base",
        ["StoreDimension"] = "--store-dim",
    };

    public static string For(string parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Exceptions.TryGetValue(parameter, out var option) ? option : "--" + Naming.KebabCase(parameter);
    }
}
