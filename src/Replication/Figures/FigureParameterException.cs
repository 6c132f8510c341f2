using System.Globalization;

namespace Replication.Figures;

/// <summary>
/// A figure parameter that makes no sense: one clear message, raised before any work starts. <see cref="Exception.Message"/>
/// names the parameter as a notebook writes it (<c>GalleryRows = 0: must be at least 1</c>); <see cref="OptionMessage"/> says
/// the same with the option name of the CLI twin (<c>--gallery-rows 0: must be at least 1</c>).
/// </summary>
public sealed class FigureParameterException : UsageException
{
    /// <summary>A parameter whose setting as a whole is wrong (empty, missing).</summary>
    public FigureParameterException(string parameter, string problem)
        : this(parameter, $"{parameter}: {problem}", $"{Option(parameter)}: {problem}") { }

    /// <summary>A parameter whose value <paramref name="value"/> is wrong.</summary>
    public FigureParameterException(string parameter, object? value, string problem)
        : this(parameter, $"{parameter} = {InCode(value)}: {problem}", $"{Option(parameter)} {OnCommandLine(value)}: {problem}") { }

    private FigureParameterException(string? parameter, string message, string optionMessage)
        : base(message, parameter is null ? null : Option(parameter))
    {
        Parameter = parameter;
        OptionMessage = optionMessage;
    }

    /// <summary>A problem not tied to one parameter, worded for the notebook and for the command line.</summary>
    public static FigureParameterException General(string message, string optionMessage) => new(null, message, optionMessage);

    /// <summary>The parameter's property name (<c>GalleryRows</c>), or null when the problem is not one parameter's.</summary>
    public string? Parameter { get; }

    /// <summary>The message with the CLI twin's option names (<c>--gallery-rows</c>) instead of property names.</summary>
    public string OptionMessage { get; }

    private static string Option(string parameter) => "--" + FigureParameterBinder.KebabCase(parameter);

    private static string InCode(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string OnCommandLine(object? value) => value switch
    {
        null => "(none)",
        string { Length: 0 } => "''",
        string s => s.Any(char.IsWhiteSpace) ? $"'{s}'" : s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
