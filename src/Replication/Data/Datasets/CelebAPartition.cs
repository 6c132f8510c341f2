namespace Replication.Data.Datasets;

/// <summary>The partitions of Celeb-A's <c>list_eval_partition.txt</c> (the numbers are the file's codes), or all of them.</summary>
public enum CelebAPartition
{
    All = -1,
    Train = 0,
    Validation = 1,
    Test = 2,
}
