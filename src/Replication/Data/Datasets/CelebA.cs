using System.Globalization;
using Replication.Images;

namespace Replication.Data.Datasets;

/// <summary>
/// Celeb-A (Liu et al. 2015), aligned and cropped images, in its published layout: <c>img_align_celeba/000001.jpg</c> …
/// <c>202599.jpg</c> and <c>list_eval_partition.txt</c> (lines <c>000001.jpg 0</c>; 0 train, 1 validation, 2 test), with
/// <c>identity_CelebA.txt</c> (lines <c>000001.jpg 2880</c>) giving the records' labels when it is present. The folder given
/// may hold these directly (torchvision's <c>celeba/</c> folder), hold a <c>celeba/</c> folder, or be the Google Drive layout
/// (<c>Img/img_align_celeba/</c>, <c>Eval/list_eval_partition.txt</c>, <c>Anno/identity_CelebA.txt</c>).
/// Note that google/ddpm-celebahq-256 was trained on CelebA-HQ (<see cref="CelebAHq"/>), not on these images.
/// </summary>
public static class CelebA
{
    public const string PartitionFile = "list_eval_partition.txt";
    public const string IdentityFile = "identity_CelebA.txt";
    public const string ImageFolder = "img_align_celeba";

    /// <summary>
    /// The images of one partition (train by default; <see cref="CelebAPartition.All"/> for every listed image) in file-name
    /// order, labelled with their identity when <c>identity_CelebA.txt</c> is present. A listed file that is missing is one
    /// error naming it (and how many are missing).
    /// </summary>
    public static IReadOnlyList<ImageRecord> Load(string root, CelebAPartition partition = CelebAPartition.Train)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Enum.IsDefined(partition)) throw new ArgumentOutOfRangeException(nameof(partition), partition, "not a Celeb-A partition");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: Celeb-A folder not found");
        root = Path.GetFullPath(root);
        string folder = Directory.Exists(Path.Combine(root, "celeba")) && !File.Exists(Path.Combine(root, PartitionFile)) ? Path.Combine(root, "celeba") : root;
        string partitionFile = DatasetFiles.FirstFile(Path.Combine(folder, PartitionFile), Path.Combine(folder, "Eval", PartitionFile))
                               ?? throw new FileNotFoundException($"{Path.Combine(folder, PartitionFile)}: not found (expected Celeb-A's {ImageFolder}/ and {PartitionFile})", Path.Combine(folder, PartitionFile));
        string images = DatasetFiles.FirstFolder(Path.Combine(folder, ImageFolder), Path.Combine(folder, "Img", ImageFolder))
                        ?? throw new DirectoryNotFoundException($"{Path.Combine(folder, ImageFolder)}: not found (Celeb-A's aligned images; unzip img_align_celeba.zip there)");
        string? identityFile = DatasetFiles.FirstFile(Path.Combine(folder, IdentityFile), Path.Combine(folder, "Anno", IdentityFile));

        var names = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, name, value) in DatasetFiles.Pairs(partitionFile))
        {
            if (value is not ("0" or "1" or "2"))
                throw new InvalidDataException($"{partitionFile}: line {line}: partition '{value}', expected 0 (train), 1 (validation) or 2 (test)");
            if (!seen.TryAdd(name, line))
                throw new InvalidDataException($"{partitionFile}: line {line}: {name} is already listed on line {seen[name]}");
            if (Path.GetFileName(name) != name || name.StartsWith('.'))
                throw new InvalidDataException($"{partitionFile}: line {line}: '{name}' is not a plain file name");
            if (partition == CelebAPartition.All || value[0] - '0' == (int)partition) names.Add(name);
        }
        if (names.Count == 0)
            throw new InvalidDataException($"{partitionFile}: lists no image of the {partition.ToString().ToLowerInvariant()} partition");
        names.Sort(StringComparer.Ordinal);
        var paths = names.Select(n => Path.Combine(images, n)).ToList();
        DatasetFiles.RequireAll(paths, partitionFile);

        Dictionary<string, string>? identities = null;
        if (identityFile != null)
        {
            identities = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (line, name, value) in DatasetFiles.Pairs(identityFile))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    throw new InvalidDataException($"{identityFile}: line {line}: identity '{value}' is not a non-negative integer");
                if (!identities.TryAdd(name, value))
                    throw new InvalidDataException($"{identityFile}: line {line}: {name} is listed twice");
            }
            var unlabelled = names.FirstOrDefault(n => !identities.ContainsKey(n));
            if (unlabelled != null) throw new InvalidDataException($"{identityFile}: no identity for {unlabelled}");
        }
        return names.Select((n, i) => new ImageRecord(n, paths[i], DatasetFiles.Relative(folder, paths[i]), Label: identities?[n])).ToList();
    }
}
