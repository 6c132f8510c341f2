using System.Globalization;
using Replication.Images;
using Replication.Core.Formats;

namespace Replication.Data.Datasets;

/// <summary>
/// Oxford Flowers 102 (Nilsback &amp; Zisserman 2008) in its published layout: <c>jpg/image_00001.jpg</c> …
/// <c>image_08189.jpg</c> (from 102flowers.tgz), <c>imagelabels.mat</c> (a 1×8189 vector <c>labels</c>, classes 1..102) and,
/// for the splits, <c>setid.mat</c> (<c>trnid</c>, <c>valid</c>, <c>tstid</c>: 1-based image numbers). The folder given may hold
/// these or hold torchvision's <c>flowers-102/</c>. The .mat files are read by <see cref="MatFile"/> (MAT-file v5, compressed
/// or not, any real numeric class).
/// <para>Labels are the class numbers zero-padded to three digits, <c>"001"</c> … <c>"102"</c> (<see cref="Label"/>), so that
/// ordinal order of labels is numeric order: ties in <see cref="ClassSubsets.Largest"/> go to the lower class number.</para>
/// </summary>
public static class Flowers102
{
    public const string LabelsFile = "imagelabels.mat";
    public const string SplitsFile = "setid.mat";
    public const int Classes = 102;

    /// <summary>The record label of class <paramref name="cls"/> (1..102): three digits, e.g. <c>"051"</c>.</summary>
    public static string Label(int cls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cls, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cls, Classes);
        return cls.ToString("000", CultureInfo.InvariantCulture);
    }

    /// <summary>The images of a split (all by default) in file-name order, labelled with their class.</summary>
    public static IReadOnlyList<ImageRecord> Load(string root, Flowers102Split split = Flowers102Split.All)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Enum.IsDefined(split)) throw new ArgumentOutOfRangeException(nameof(split), split, "not a Flowers-102 split");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: Flowers-102 folder not found");
        root = Path.GetFullPath(root);
        string folder = !File.Exists(Path.Combine(root, LabelsFile)) && Directory.Exists(Path.Combine(root, "flowers-102")) ? Path.Combine(root, "flowers-102") : root;
        string labelsPath = Path.Combine(folder, LabelsFile);
        if (!File.Exists(labelsPath))
            throw new FileNotFoundException($"{labelsPath}: not found (expected Flowers-102's jpg/ and {LabelsFile})", labelsPath);
        var labels = Integers(labelsPath, MatFile.Read(labelsPath).Vector("labels"), "labels", 1, Classes);
        if (labels.Length == 0) throw new InvalidDataException($"{labelsPath}: 'labels' is empty");

        IEnumerable<int> numbers = Enumerable.Range(1, labels.Length);
        if (split != Flowers102Split.All)
        {
            string splitsPath = Path.Combine(folder, SplitsFile);
            if (!File.Exists(splitsPath))
                throw new FileNotFoundException($"{splitsPath}: not found (the {split.ToString().ToLowerInvariant()} split is defined there)", splitsPath);
            string variable = split switch { Flowers102Split.Train => "trnid", Flowers102Split.Validation => "valid", _ => "tstid" };
            var ids = Integers(splitsPath, MatFile.Read(splitsPath).Vector(variable), variable, 1, labels.Length);
            var duplicate = ids.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new InvalidDataException($"{splitsPath}: '{variable}' lists image {duplicate.Key} twice");
            numbers = ids.Order();
        }
        var records = numbers.Select(n =>
        {
            string name = $"image_{n.ToString("00000", CultureInfo.InvariantCulture)}.jpg";
            return new ImageRecord(name, Path.Combine(folder, "jpg", name), "jpg/" + name, Label: Label(labels[n - 1]));
        }).ToList();
        DatasetFiles.RequireAll(records.Select(r => r.Path).ToList(), $"{labelsPath} (one label per image, {labels.Length} in all)");
        return records;
    }

    /// <summary>The values as integers in [min, max]; anything else is an error naming the file and the (1-based) position.</summary>
    private static int[] Integers(string path, double[] values, string variable, int min, int max)
    {
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= min && v <= max && v == Math.Floor(v)))
                throw new InvalidDataException($"{path}: {variable}({i + 1}) is {v.ToString(CultureInfo.InvariantCulture)}; expected an integer in {min}..{max}");
            result[i] = (int)v;
        }
        return result;
    }
}
