using Replication.Data.Datasets;

namespace Replication.Tests.Data.Datasets;

/// <summary>The Section 5 training-set loaders against tiny fixtures in each published layout (fixtures/datasets/make_sweep_datasets.py).</summary>
public class TrainingSetLoadersTests
{
    private static string Root(params string[] parts) => Fixtures.Path(["datasets", .. parts]);

    /// <summary>A writable copy of a fixture folder, for the tests that damage it.</summary>
    private static string Copy(string fixture)
    {
        var target = Path.Combine(Fixtures.TempFolder(), Path.GetFileName(fixture));
        foreach (var file in Directory.GetFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    [Theory]
    [InlineData(CelebAPartition.Train, new[] { "000001.jpg", "000002.jpg", "000005.jpg" })]
    [InlineData(CelebAPartition.Validation, new[] { "000003.jpg" })]
    [InlineData(CelebAPartition.Test, new[] { "000004.jpg", "000006.jpg" })]
    [InlineData(CelebAPartition.All, new[] { "000001.jpg", "000002.jpg", "000003.jpg", "000004.jpg", "000005.jpg", "000006.jpg" })]
    public void CelebAReadsAPartitionInFileNameOrder(CelebAPartition partition, string[] ids)
    {
        var records = CelebA.Load(Root("celeba"), partition);
        Assert.Equal(ids, records.Select(r => r.Id));
        Assert.All(records, r => Assert.True(File.Exists(r.Path) && Path.IsPathRooted(r.Path)));
        Assert.Equal("img_align_celeba/" + ids[0], records[0].RelativePath);
    }

    [Fact]
    public void CelebATrainIsTheDefaultAndIdentitiesAreLabels()
    {
        var records = CelebA.Load(Root("celeba"));
        Assert.Equal(["2880", "2937", "2880"], records.Select(r => r.Label));
    }

    [Fact]
    public void CelebAWithoutIdentitiesHasNoLabelsAndFindsTheDriveLayout()
    {
        var copy = Copy(Root("celeba"));
        Directory.CreateDirectory(Path.Combine(copy, "Img"));
        Directory.CreateDirectory(Path.Combine(copy, "Eval"));
        Directory.Move(Path.Combine(copy, "img_align_celeba"), Path.Combine(copy, "Img", "img_align_celeba"));
        File.Move(Path.Combine(copy, "list_eval_partition.txt"), Path.Combine(copy, "Eval", "list_eval_partition.txt"));
        File.Delete(Path.Combine(copy, "identity_CelebA.txt"));
        var records = CelebA.Load(copy, CelebAPartition.Test);
        Assert.Equal(["000004.jpg", "000006.jpg"], records.Select(r => r.Id));
        Assert.All(records, r => Assert.Null(r.Label));
        Assert.Equal("Img/img_align_celeba/000004.jpg", records[0].RelativePath);
    }

    [Fact]
    public void CelebAMissingFilesAreOneErrorNamingTheFile()
    {
        var copy = Copy(Root("celeba"));
        File.Delete(Path.Combine(copy, "img_align_celeba", "000002.jpg"));
        File.Delete(Path.Combine(copy, "img_align_celeba", "000005.jpg"));
        var e = Assert.Throws<FileNotFoundException>(() => CelebA.Load(copy));
        Assert.StartsWith(Path.Combine(copy, "img_align_celeba", "000002.jpg") + ": listed in ", e.Message);
        Assert.Contains("list_eval_partition.txt", e.Message);
        Assert.Contains("2 of the 3 listed files are missing", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Single(CelebA.Load(copy, CelebAPartition.Validation)); // other partitions are unaffected
    }

    [Fact]
    public void CelebABadListsAreClearErrors()
    {
        var copy = Copy(Root("celeba"));
        var partitions = Path.Combine(copy, "list_eval_partition.txt");
        File.AppendAllText(partitions, "000007.jpg 3\n");
        Assert.Contains("line 7: partition '3'", Assert.Throws<InvalidDataException>(() => CelebA.Load(copy)).Message);
        File.WriteAllText(partitions, "000001.jpg 0\n000001.jpg 1\n");
        Assert.Contains("already listed on line 1", Assert.Throws<InvalidDataException>(() => CelebA.Load(copy)).Message);
        File.WriteAllText(partitions, "000001.jpg 0\n000003.jpg 0\n");
        File.WriteAllText(Path.Combine(copy, "identity_CelebA.txt"), "000001.jpg 12\n");
        var e = Assert.Throws<InvalidDataException>(() => CelebA.Load(copy));
        Assert.Equal($"{Path.Combine(copy, "identity_CelebA.txt")}: no identity for 000003.jpg", e.Message);
        File.Delete(partitions);
        Assert.Contains("list_eval_partition.txt: not found", Assert.Throws<FileNotFoundException>(() => CelebA.Load(copy)).Message);
    }

    [Fact]
    public void CelebAHqOrdersByIndexNotOrdinally()
    {
        // the CelebAMask-HQ folder is found from its parent; README.txt is not an image and is ignored
        var records = CelebAHq.Load(Root("CelebAMask-HQ"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"{i}.jpg"), records.Select(r => r.Id));
        Assert.Equal(records, CelebAHq.Load(Root("CelebAMask-HQ", "CelebA-HQ-img")));
        Assert.Equal(["00000.png", "00001.png", "00002.png", "00003.png", "00004.png"], CelebAHq.Load(Root("celebahq-png")).Select(r => r.Id));
    }

    [Fact]
    public void CelebAHqRefusesGapsStrayNamesAndRepeatedIndices()
    {
        var copy = Copy(Root("CelebAMask-HQ", "CelebA-HQ-img"));
        File.Delete(Path.Combine(copy, "7.jpg"));
        var e = Assert.Throws<InvalidDataException>(() => CelebAHq.Load(copy));
        Assert.StartsWith(Path.Combine(copy, "7") + ".*: image 7 is missing", e.Message);
        Assert.Equal(11, CelebAHq.Load(copy, allowGaps: true).Count);

        File.Copy(Path.Combine(copy, "3.jpg"), Path.Combine(copy, "0003.png"));
        Assert.Contains("index 3 again", Assert.Throws<InvalidDataException>(() => CelebAHq.Load(copy, allowGaps: true)).Message);
        File.Delete(Path.Combine(copy, "0003.png"));

        File.Copy(Path.Combine(copy, "3.jpg"), Path.Combine(copy, "3 (copy).jpg"));
        var stray = Assert.Throws<InvalidDataException>(() => CelebAHq.Load(copy, allowGaps: true));
        Assert.StartsWith(Path.Combine(copy, "3 (copy).jpg") + ": ", stray.Message);

        Assert.Throws<DirectoryNotFoundException>(() => CelebAHq.Load(Path.Combine(copy, "absent")));
        Assert.Contains("no CelebA-HQ images", Assert.Throws<InvalidDataException>(() => CelebAHq.Load(Fixtures.TempFolder())).Message);
    }

    [Fact]
    public void FlowersReadsLabelsFromTheMatFileAsZeroPaddedClasses()
    {
        var records = Flowers102.Load(Root("flowers102"));
        Assert.Equal(14, records.Count);
        Assert.Equal("image_00001.jpg", records[0].Id);
        Assert.Equal("jpg/image_00014.jpg", records[13].RelativePath);
        Assert.Equal(["005", "003", "012", "005", "102", "003", "001", "012", "005", "007", "003", "102", "012", "005"], records.Select(r => r.Label));
        Assert.Equal("051", Flowers102.Label(51));
    }

    [Theory]
    [InlineData(Flowers102Split.Train, new[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData(Flowers102Split.Validation, new[] { 7, 8, 9, 10 })]
    [InlineData(Flowers102Split.Test, new[] { 11, 12, 13, 14 })] // tstid lists 14 first: file-name order is kept
    public void FlowersSplitsComeFromTheCompressedSetidFile(Flowers102Split split, int[] numbers)
    {
        var records = Flowers102.Load(Root("flowers102"), split);
        Assert.Equal(numbers.Select(n => $"image_{n:00000}.jpg"), records.Select(r => r.Id));
    }

    [Fact]
    public void FlowersProblemsAreClearErrors()
    {
        var copy = Copy(Root("flowers102"));
        File.Delete(Path.Combine(copy, "jpg", "image_00009.jpg"));
        var e = Assert.Throws<FileNotFoundException>(() => Flowers102.Load(copy));
        Assert.StartsWith(Path.Combine(copy, "jpg", "image_00009.jpg") + ": listed in ", e.Message);
        Assert.Contains("imagelabels.mat", e.Message);
        Assert.Equal(6, Flowers102.Load(copy, Flowers102Split.Train).Count); // image 9 is not in the training split

        File.Copy(Fixtures.Path("datasets", "mat", "cell.mat"), Path.Combine(copy, "imagelabels.mat"), overwrite: true);
        var cell = Assert.Throws<InvalidDataException>(() => Flowers102.Load(copy));
        Assert.Contains("imagelabels.mat: variable 'labels' is a cell array", cell.Message);

        File.Copy(Fixtures.Path("datasets", "mat", "v73.mat"), Path.Combine(copy, "imagelabels.mat"), overwrite: true);
        Assert.Contains("version 7.3", Assert.Throws<InvalidDataException>(() => Flowers102.Load(copy)).Message);

        File.Copy(Fixtures.Path("datasets", "mat", "two-variables-z.mat"), Path.Combine(copy, "imagelabels.mat"), overwrite: true);
        Assert.Contains("no variable 'labels'", Assert.Throws<InvalidDataException>(() => Flowers102.Load(copy)).Message);

        File.Copy(Fixtures.Path("datasets", "mat", "single-plain.mat"), Path.Combine(copy, "setid.mat"), overwrite: true);
        File.Copy(Root("flowers102", "imagelabels.mat"), Path.Combine(copy, "imagelabels.mat"), overwrite: true);
        Assert.Contains("setid.mat: no variable 'trnid'", Assert.Throws<InvalidDataException>(() => Flowers102.Load(copy, Flowers102Split.Train)).Message);
        File.Delete(Path.Combine(copy, "setid.mat"));
        Assert.Contains("setid.mat: not found", Assert.Throws<FileNotFoundException>(() => Flowers102.Load(copy, Flowers102Split.Test)).Message);
    }

    [Fact]
    public void FlowersLabelsOutOfRangeAreRefused()
    {
        var copy = Copy(Root("flowers102"));
        // the uint8 fixture holds 1, 2, 3, 102 in its last bytes (small-data-element form): make the 102 a 103
        var bytes = File.ReadAllBytes(Fixtures.Path("datasets", "mat", "uint8-plain.mat"));
        int at = Array.LastIndexOf(bytes, (byte)102);
        bytes[at] = 103;
        File.WriteAllBytes(Path.Combine(copy, "imagelabels.mat"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => Flowers102.Load(copy));
        Assert.Contains("imagelabels.mat: labels(4) is 103; expected an integer in 1..102", e.Message);
    }
}
