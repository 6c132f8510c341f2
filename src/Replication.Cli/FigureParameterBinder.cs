using System.Globalization;
using System.Reflection;

using Replication.Core;
using Replication.Figures;

namespace Replication.Cli;

/// <summary>
/// Sets a figure's parameters record from <c>--kebab-case value</c> pairs (the CLI twin), so that the twin
/// and the notebook take the same parameters by the same names.
/// </summary>
public static class FigureParameterBinder
{
    public static object Bind(object defaults, IReadOnlyDictionary<string, string> values)
    {
        var type = defaults.GetType();
        var clone = type.GetMethod("<Clone>$")?.Invoke(defaults, null) ?? defaults;
        foreach (var (name, text) in values)
        {
            var property = Properties(type).FirstOrDefault(p => KebabCase(p.Name) == name)
                ?? throw new UsageException(Unknown(name, type));
            object value;
            try
            {
                value = property.PropertyType == typeof(string) ? text : Convert.ChangeType(text, property.PropertyType, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new FigureParameterException(property.Name, text, $"not a valid {property.PropertyType.Name}");
            }
            property.SetValue(clone, value);
        }
        return clone;
    }

    private static string Unknown(string name, Type type) =>
        $"unknown parameter --{name} (parameters: {string.Join(", ", Properties(type).Select(p => "--" + KebabCase(p.Name)))})";

    public static IEnumerable<(string Option, string Type, object? Default)> Describe(object defaults) =>
        Properties(defaults.GetType()).Select(p => ("--" + KebabCase(p.Name), p.PropertyType.Name, p.GetValue(defaults)));

    private static IEnumerable<PropertyInfo> Properties(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract");

    public static string KebabCase(string name) => Naming.KebabCase(name);
}
