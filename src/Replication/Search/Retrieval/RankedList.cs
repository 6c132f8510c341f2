namespace Replication.Search.Retrieval;

/// <summary>One query's retrieved gallery rows, best first, with their scores.</summary>
public sealed record RankedList(int Query, long[] Gallery, float[] Scores);
