using System.Security.Cryptography;

namespace Replication.Core.Files;

/// <summary>Reads a file that a card pins by sha256; a missing file or a different hash is an error naming the card.</summary>
public static class VerifiedFile
{
    public static byte[] ReadAllBytes(string card, string path, string sha256)
    {
        if (!File.Exists(path))
            throw new InputMissingException($"{card}: model file {path} not found", path);
        var bytes = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!actual.Equals(sha256, StringComparison.OrdinalIgnoreCase))
            throw new InputDataException($"{card}: sha256 of {path} is {actual}, the card says {sha256} (wrong or corrupt file)");
        return bytes;
    }
}
