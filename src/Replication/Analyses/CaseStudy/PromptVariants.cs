using System.Globalization;
using System.Text;
using Replication.Core.Files;
using Replication.Core.Formats;

namespace Replication.Analyses.CaseStudy;

/// <summary>
/// Prompt variants for the key-phrase study (the paper's Figures 8 and 10): a base prompt with each phrase removed in turn, or one
/// of the paper's prompt tables as a preset (Table 2: "Canvas Wall Art Print" prompts, each also without the phrase; Table 3: the
/// Great Wave prompts; Table 4: the 20 artwork prompts). Written as a variants file (<c>variant,prompt,removed,seed</c>, one line per
/// image to generate) that any generator can work through; the case study reads it back to give each variant's replication rate.
/// </summary>
public static class PromptVariants
{
    public const string KeyPhrase = "Canvas Wall Art Print";
    public static readonly IReadOnlyList<string> Columns = ["variant", "prompt", "removed", "seed"];

    /// <summary>The presets, by name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<PromptVariant>>> Presets =
        new Dictionary<string, Func<IReadOnlyList<PromptVariant>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["canvas-wall-art"] = CanvasWallArt,
            ["great-wave"] = GreatWave,
            ["artworks"] = Artworks,
        };

    public static IReadOnlyList<PromptVariant> Preset(string name) =>
        Presets.TryGetValue(name ?? "", out var make)
            ? make()
            : throw new ParameterException("Preset", name, $"unknown preset ({string.Join(", ", Presets.Keys)})");

    /// <summary>The base prompt, then the base with each phrase removed (the phrase must occur in the base).</summary>
    public static IReadOnlyList<PromptVariant> Removing(string basePrompt, IReadOnlyList<string> phrases)
    {
        if (string.IsNullOrWhiteSpace(basePrompt)) throw new ParameterException("BasePrompt", "the base prompt is empty");
        ArgumentNullException.ThrowIfNull(phrases);
        if (phrases.Count == 0) throw new ParameterException("Phrases", "give at least one phrase to remove (separated by ';')");
        var list = new List<PromptVariant> { new("base", basePrompt.Trim()) };
        for (int i = 0; i < phrases.Count; i++)
        {
            string phrase = phrases[i].Trim();
            int at = basePrompt.IndexOf(phrase, StringComparison.Ordinal);
            if (phrase.Length == 0 || at < 0)
                throw new ParameterException("Phrases", $"'{phrases[i]}' does not occur in the base prompt '{basePrompt}'");
            string without = Tidy(basePrompt.Remove(at, phrase.Length));
            if (without.Length == 0) throw new ParameterException("Phrases", $"removing '{phrase}' leaves an empty prompt");
            if (list.Any(v => v.Prompt == without))
                throw new ParameterException("Phrases", $"removing '{phrase}' gives the same prompt as another variant ('{without}')");
            list.Add(new PromptVariant($"without-{i + 1}", without, phrase));
        }
        return list;
    }

    /// <summary>One line per image: each variant <paramref name="perVariant"/> times, with generator seeds drawn from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<(PromptVariant Variant, long Seed)> Lines(IReadOnlyList<PromptVariant> variants, int perVariant, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (perVariant < 1) throw new ParameterException("PerVariant", perVariant, "must be at least 1");
        ulong state = seed;
        var lines = new List<(PromptVariant, long)>(variants.Count * perVariant);
        foreach (var v in variants)
            for (int i = 0; i < perVariant; i++)
                lines.Add((v, (long)(Replication.Core.SeededPermutation.Next(ref state) >> 33)));
        return lines;
    }

    /// <summary>Writes <see cref="Lines"/> as a variants file.</summary>
    public static void Write(string path, IReadOnlyList<PromptVariant> variants, int perVariant, ulong seed)
    {
        var sb = new StringBuilder(string.Join(",", Columns) + "\n");
        foreach (var (v, s) in Lines(variants, perVariant, seed))
            sb.Append(CsvTable.Line(v.Name, v.Prompt, v.Removed, s)).Append('\n');
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>The variants of a variants file (each once, in file order).</summary>
    public static IReadOnlyList<PromptVariant> Read(string path)
    {
        var table = CsvTable.Read(path);
        foreach (var c in new[] { "variant", "prompt" })
            if (!table.HasColumn(c)) throw new InputDataException($"{path}: no '{c}' column (a variants file has {string.Join(",", Columns)})");
        var byName = new Dictionary<string, PromptVariant>(StringComparer.Ordinal);
        var order = new List<PromptVariant>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string name = table.Cell(r, "variant")!.Trim();
            string prompt = table.Cell(r, "prompt")!;
            if (name.Length == 0 || prompt.Trim().Length == 0) throw new InputDataException($"{path}, row {r + 1}: empty variant or prompt");
            var v = new PromptVariant(name, prompt, table.HasColumn("removed") && table.Cell(r, "removed") is { Length: > 0 } removed ? removed : null);
            if (byName.TryGetValue(name, out var known))
            {
                if (known.Prompt != prompt) throw new InputDataException($"{path}, row {r + 1}: variant {name} has two prompts ('{known.Prompt}' and '{prompt}')");
                continue;
            }
            if (order.FirstOrDefault(o => o.Prompt.Trim() == prompt.Trim()) is { } same)
                throw new InputDataException($"{path}, row {r + 1}: variants {same.Name} and {name} have the same prompt; their generations could not be told apart");
            byName[name] = v;
            order.Add(v);
        }
        if (order.Count == 0) throw new InputDataException($"{path}: no variants");
        return order;
    }

    private static string Tidy(string s)
    {
        var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words).Trim(' ', ',', ';').Replace(" ,", ",", StringComparison.Ordinal);
    }

    private static IReadOnlyList<PromptVariant> CanvasWallArt()
    {
        // the paper's Table 2 (prompts of Figure 10, top row), each also without the key phrase
        string[] prompts =
        [
            "Florian Pond Behind The House Garden Painting Canvas Wall Art Print",
            "Starry night painting Canvas Wall Art Print",
            "A poster with letter V Canvas Wall Art Print",
            "A painting of an avocado chair Canvas Wall Art Print",
        ];
        var list = new List<PromptVariant>();
        for (int i = 0; i < prompts.Length; i++)
        {
            list.Add(new PromptVariant(string.Create(CultureInfo.InvariantCulture, $"table2-{i + 1}"), prompts[i]));
            list.Add(new PromptVariant(string.Create(CultureInfo.InvariantCulture, $"table2-{i + 1}-without"), Tidy(prompts[i].Replace(KeyPhrase, "", StringComparison.Ordinal)), KeyPhrase));
        }
        return list;
    }

    private static IReadOnlyList<PromptVariant> GreatWave() =>
    [
        // the paper's Table 3 (Figure 10, bottom row): the key phrase removed step by step
        new("table3-1", "The Great Wave off Kanagawa by Katsushika Hokusai"),
        new("table3-2", "The Great Wave off Kanagawa", "by Katsushika Hokusai"),
        new("table3-3", "A painting of Kanagawa coast"),
        new("table3-4", "A painting of a Wave"),
    ];

    private static IReadOnlyList<PromptVariant> Artworks()
    {
        // the paper's Table 4: 20 artworks named by title and artist (the first 6 make its Figure 8)
        string[] prompts =
        [
            "Starry Night by Vincent van Gogh", "The kiss by Gustav Klimt",
            "A Sunday Afternoon on the Island of La Grande Jatte by Georges Seurat", "Christ And The Storm by Rembrandt",
            "Impression, Sunrise by Claude Oscar Monet", "Daydream or Reverie by Alphonse Mucha", "Jean-michel Basquiat by Richard Day",
            "Bal du moulin de la Galette by Pierre-Auguste Renoir", "Under the Tree of Life by Gustav Klimt", "Horn of Babel by Vladimir Kush",
            "Man in a Bowler Hat by Rene Magritte", "The Autumn by Alphonse Mucha", "Blue Lovers by Marc Chagall", "Marilyn Monroe By Andy Warhol",
            "Dora Maar au Chat By Pablo Picasso", "A girl with pearl earring by Johannes Vermeer", "The Persistence of Memory by Salvador Dali",
            "Ophelia by Sir John Everett Millais", "Cafe Terrace at Night by Vincent van Gogh", "The Scream by Edvard Munch",
        ];
        return prompts.Select((p, i) => new PromptVariant(string.Create(CultureInfo.InvariantCulture, $"table4-{i + 1:D2}"), p)).ToList();
    }
}
