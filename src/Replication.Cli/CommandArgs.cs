using System.Globalization;

namespace Replication.Cli;

/// <summary>Parsed <c>--name value</c> options of one command, checked against the options it declares.</summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    /// <param name="open">The command also takes positional arguments and options it does not declare (kept in <see cref="Positionals"/> and <see cref="Extra"/>).</param>
    public CommandArgs(string command, string[] args, IReadOnlyList<OptionSpec> specs, bool open = false)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "--help" or "-h") { Help = true; continue; }
            if (!a.StartsWith("--"))
            {
                if (!open) throw new UsageException($"{command}: unexpected argument '{a}'");
                Positionals.Add(a);
                continue;
            }
            string name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            var spec = specs.FirstOrDefault(s => s.Name == name);
            if (spec is null && open)
            {
                Extra[name] = inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"{command}: --{name} needs a value"));
                continue;
            }
            if (spec is null)
                throw new UsageException($"{command}: unknown option --{name} (see '{command} --help')");
            if (spec.IsFlag) { _values[name] = "true"; continue; }
            // a following "--option" is the next option, not this one's value (write --name=--value for such a value)
            string? value = inline ?? (i + 1 < args.Length && !(args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2) ? args[++i] : null);
            if (value is null)
                throw new UsageException($"{command}: --{name} needs a value");
            _values[name] = value;
        }
        if (!Help)
            foreach (var s in specs.Where(s => s.Required && !_values.ContainsKey(s.Name)))
                throw new UsageException($"{command}: --{s.Name} is required ({s.Help})");
        Specs = specs;
    }

    public bool Help { get; }
    public List<string> Positionals { get; } = [];
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<OptionSpec> Specs { get; }

    public string? Get(string name) => _values.GetValueOrDefault(name) ?? Specs.First(s => s.Name == name).Default;
    public string Require(string name) => Get(name) ?? throw new UsageException($"--{name} is required");
    public bool Flag(string name) => _values.ContainsKey(name);

    public int Int(string name)
    {
        var v = Require(name);
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n <= 0)
            throw new UsageException($"--{name} must be a positive whole number, not '{v}'");
        return n;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; otherwise a usage error naming the bounds and why.</summary>
    public int Int(string name, int min, int max, string why)
    {
        var v = Require(name);
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new UsageException($"--{name} must be a whole number from {min} to {max} ({why}), not '{v}'");
        return n;
    }

    public double Double(string name)
    {
        var v = Require(name);
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            throw new UsageException($"--{name} must be a number, not '{v}'");
        return d;
    }
}
