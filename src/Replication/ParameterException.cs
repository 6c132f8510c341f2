using System.Globalization;

namespace Replication;

/// <summary>
/// A library parameter whose value makes no sense, named as the library calls it (<c>TopK = 0: must be at least 1</c>). The
/// library never names a command-line option: the CLI renders the same problem with its option
/// (<c>--k 0: must be at least 1</c>) through <see cref="Render"/>, and notebooks show <see cref="Exception.Message"/>.
/// </summary>
public sealed class ParameterException : UsageException
{
    /// <summary>A parameter whose setting as a whole is wrong (empty, missing, not allowed with another).</summary>
    public ParameterException(string parameter, string problem) : base($"{parameter}: {problem}")
    {
        Parameter = parameter;
        Problem = problem;
    }

    /// <summary>A parameter whose value <paramref name="value"/> is wrong.</summary>
    public ParameterException(string parameter, object? value, string problem) : base($"{parameter} = {Text(value)}: {problem}")
    {
        Parameter = parameter;
        Value = Text(value);
        Problem = problem;
    }

    /// <summary>The parameter's name in the library (<c>TopK</c>, <c>Whiten</c>).</summary>
    public string Parameter { get; }

    /// <summary>The value as text, or null when the problem is the parameter's as a whole.</summary>
    public string? Value { get; }

    /// <summary>What is wrong, without the parameter's name.</summary>
    public string Problem { get; }

    /// <summary>The message with <paramref name="name"/> (a command-line option, say) in place of the parameter's name.</summary>
    public string Render(string name) => Value is null ? $"{name}: {Problem}" : $"{name} {Value}: {Problem}";

    private static string Text(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
