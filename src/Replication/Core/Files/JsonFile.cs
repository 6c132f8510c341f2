using System.Text.Json;
using System.Text.Json.Nodes;

namespace Replication.Core.Files;

/// <summary>Reads a JSON file that must hold a list, with one clear error naming the file otherwise.</summary>
public static class JsonFile
{
    /// <summary>Indented output, shared (options are cached by System.Text.Json per instance).</summary>
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };

    /// <param name="expected">What the list should hold, appended to the errors (e.g. the entry layout).</param>
    public static JsonArray ReadArray(string path, string expected)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: not valid JSON ({e.Message}); {expected}", e);
        }
        return root as JsonArray
               ?? throw new InputDataException($"{path}: a list is expected, found {(root is null ? "null" : root.GetValueKind().ToString())}; {expected}");
    }
}
