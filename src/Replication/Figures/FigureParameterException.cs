using System.Globalization;
using Replication.Reporting.Metrics;

namespace Replication.Figures;

/// <summary>
/// A figure parameter that makes no sense: one clear message, raised before any work starts. <see cref="Exception.Message"/>
/// names the parameter as a notebook writes it (<c>GalleryRows = 0: must be at least 1</c>); <see cref="Render"/> says the
/// same with the names another caller uses (the CLI twin's options: <c>--gallery-rows 0: must be at least 1</c>).
/// </summary>
public sealed class FigureParameterException : UsageException
{
    private readonly string[] _parameters;
    private readonly bool _hasValue;
    private readonly object? _value;

    /// <summary>A parameter whose setting as a whole is wrong (empty, missing).</summary>
    public FigureParameterException(string parameter, string problem)
        : this([parameter], false, null, problem, $"{parameter}: {problem}") { }

    /// <summary>A parameter whose value <paramref name="value"/> is wrong.</summary>
    public FigureParameterException(string parameter, object? value, string problem)
        : this([parameter], true, value, problem, $"{parameter} = {InCode(value)}: {problem}") { }

    private FigureParameterException(string[] parameters, bool hasValue, object? value, string problem, string message) : base(message)
    {
        _parameters = parameters;
        _hasValue = hasValue;
        _value = value;
        Problem = problem;
    }

    /// <summary>None of <paramref name="parameters"/> was given where one is needed: "{problem}: give A, B or C".</summary>
    public static FigureParameterException NoneOf(string problem, params string[] parameters) =>
        new(parameters, false, null, problem, $"{problem}: give {Alternatives(parameters)}");

    /// <summary>A figure's threshold parameter read with <see cref="ThresholdPolicy.Parse"/> and a given number checked
    /// against [<paramref name="min"/>, <paramref name="max"/>]; anything else is this exception naming the parameter.</summary>
    public static ThresholdPolicy Threshold(string parameter, string value, double min, double max)
    {
        ThresholdPolicy policy;
        try { policy = ThresholdPolicy.Parse(value, parameter); }
        catch (ParameterException e) { throw new FigureParameterException(parameter, value, e.Problem); }
        if (policy.Fixed is double t && !(t >= min && t <= max))
            throw new FigureParameterException(parameter, value, FormattableString.Invariant($"auto, training, paper or a number in [{min}, {max}]"));
        return policy;
    }

    /// <summary>The parameter's property name (<c>GalleryRows</c>), or null when the problem is not one parameter's.</summary>
    public string? Parameter => _parameters.Length == 1 ? _parameters[0] : null;

    /// <summary>What is wrong, without the parameter's name.</summary>
    public string Problem { get; }

    /// <summary>The message with each parameter's name replaced by <paramref name="name"/>(parameter) and the value as a
    /// command line writes it.</summary>
    public string Render(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_parameters.Length != 1) return $"{Problem}: give {Alternatives(_parameters.Select(name).ToArray())}";
        return _hasValue ? $"{name(_parameters[0])} {OnCommandLine(_value)}: {Problem}" : $"{name(_parameters[0])}: {Problem}";
    }

    private static string Alternatives(string[] names) =>
        names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];

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
