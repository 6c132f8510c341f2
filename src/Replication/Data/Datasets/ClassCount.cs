namespace Replication.Data.Datasets;

/// <summary>A class label and how many images carry it.</summary>
public sealed record ClassCount(string Label, int Count);
