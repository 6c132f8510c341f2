using System.Text;

namespace Replication.Core;

/// <summary>Names of things as users type them.</summary>
public static class Naming
{
    /// <summary><c>GalleryRows</c> → <c>gallery-rows</c>: how a property or enum member is written in a parameter's value or
    /// by a command line.</summary>
    public static string KebabCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
