using System.CommandLine;
using System.Globalization;

namespace Replication.Cli;

/// <summary>
/// Options of the commands, typed and checked while the command line is parsed: a bad value is a parse error that names the
/// option (<c>--k must be a whole number ≥ 1, not '0'</c>), reported before the command starts any work.
/// </summary>
internal static class OptionKinds
{
    /// <summary>Sets the value's name in help (<c>--device &lt;cpu|cuda&gt;</c>).</summary>
    public static Option<T> Named<T>(this Option<T> option, string helpName)
    {
        option.HelpName = helpName;
        return option;
    }

    /// <summary>Text (a path, a list, a name). An empty or blank value is a parse error naming the option: no command takes one
    /// (`--out ''` would otherwise reach the library as a path).</summary>
    public static Option<string> Text(string name, string description, string? @default = null, bool required = false)
    {
        var o = new Option<string>(name) { Description = description, Required = required };
        if (@default is not null) o.DefaultValueFactory = _ => @default;
        o.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[^1].Value))
                result.AddError($"{name}: empty value (give one, or leave the option out)");
        });
        return o;
    }

    /// <summary>A switch: present or not; it takes no value.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="why"/> says why the bound.</summary>
    /// <summary>The bound of a count given no other: far above any real use, far below what would exhaust memory before work starts
    /// (`--per-variant 200000000` used to run out of memory).</summary>
    public const int DefaultMaxCount = 10_000_000;

    public static Option<int> Int(string name, string description, int @default, int min = 1, int max = DefaultMaxCount, string? why = null)
    {
        if (max == DefaultMaxCount && why is null) why = "a bound on counts, to keep memory in reach";
        string range = max == int.MaxValue ? $"≥ {min}" : $"from {min} to {max}";
        return Parsed(name, description, @default.ToString(CultureInfo.InvariantCulture), text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
                ? n
                : throw new UsageException($"{name} must be a whole number {range}{(why is null ? "" : $" ({why})")}, not '{text}'", name));
    }

    /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<double> Number(string name, string description, string @default, double min, double max) =>
        Parsed(name, description, @default, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && d >= min && d <= max
                ? d
                : throw new UsageException($"{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'", name));

    /// <summary>One of <paramref name="allowed"/> (lower case).</summary>
    public static Option<string> Choice(string name, string description, string? @default, params string[] allowed)
    {
        var o = Parsed(name, description, @default, text =>
            allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"{name}: '{text}' is not one of {string.Join(", ", allowed)}", name));
        o.HelpName = string.Join("|", allowed);
        return o;
    }

    /// <summary>
    /// An option read by <paramref name="parse"/> (as <see cref="Parsed{T}"/>) whose value keeps the text it was read from:
    /// help shows the default as written.
    /// </summary>
    public static Option<Setting<T>> Setting<T>(string name, string description, string? @default, Func<string, T> parse) =>
        Parsed(name, description, @default, text => new Setting<T>(parse(text), text.Trim()));

    /// <summary>Comma-separated whole numbers, each at least <paramref name="min"/>.</summary>
    public static Option<Setting<IReadOnlyList<int>>> IntList(string name, string description, string @default, int min = 1) =>
        Setting<IReadOnlyList<int>>(name, description, @default, text => text.Split(',').Select(s =>
            int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min
                ? n
                : throw new UsageException($"{name}: '{s}' is not a whole number ≥ {min} (give a comma-separated list such as {@default})", name)).ToList());

    /// <summary>
    /// An option whose text <paramref name="parse"/> turns into a value, throwing a <see cref="UsageException"/> for text it
    /// refuses: the message becomes the parse error. A default (parsed the same way) is shown in help as written.
    /// </summary>
    public static Option<T> Parsed<T>(string name, string description, string? @default, Func<string, T> parse)
    {
        var o = new Option<T>(name) { Description = description };
        o.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : @default ?? "";
            try { return parse(text); }
            catch (UsageException e)
            {
                result.AddError(e is ParameterException p ? p.Render(name) : ErrorReport.InOptions(e));
                return default!;
            }
        };
        if (@default is not null) o.DefaultValueFactory = _ => parse(@default);
        return o;
    }
}
