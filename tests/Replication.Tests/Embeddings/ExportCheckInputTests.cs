using Replication.Embeddings;

namespace Replication.Tests.Embeddings;

/// <summary>check-model's list of check images: malformed or oddly typed JSON and an empty list are one clear error, never "matches PyTorch".</summary>
public class ExportCheckInputTests
{
    private static string CardWithCheckList(string checkJson)
    {
        var dir = Fixtures.TempFolder();
        foreach (var f in new[] { "tiny-vit.json", "tiny-vit.onnx" })
            File.Copy(Fixtures.Path("models", f), Path.Combine(dir, f));
        var check = Path.Combine(dir, "tiny-vit.check");
        Directory.CreateDirectory(check);
        foreach (var f in Directory.GetFiles(Fixtures.Path("models", "tiny-vit.check")))
            File.Copy(f, Path.Combine(check, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(check, "check.json"), checkJson);
        return Path.Combine(dir, "tiny-vit.json");
    }

    [Theory]
    [InlineData("[]", "no check images")]
    [InlineData("[{\"image\": \"astronaut.png\", ", "not valid JSON")]
    [InlineData("{\"image\": \"astronaut.png\"}", "list")]
    [InlineData("[{\"image\": 5, \"reference\": \"astronaut.npy\"}]", "'image'")]
    [InlineData("[{\"image\": \"astronaut.png\", \"reference\": [1]}]", "'reference'")]
    [InlineData("[null]", "entry 1")]
    [InlineData("[\"astronaut.png\"]", "entry 1")]
    public void HostileCheckListsAreOneClearError(string json, string words)
    {
        var card = CardWithCheckList(json);
        var e = Assert.Throws<InputDataException>(() => ExportCheck.Verify(card));
        Assert.Contains("check.json", e.Message);
        Assert.Contains(words, e.Message);
    }
}
