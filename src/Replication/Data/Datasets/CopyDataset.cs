using Replication.Images;
using Replication.Search.Retrieval;

namespace Replication.Data.Datasets;

/// <summary>
/// A retrieval benchmark: query images, gallery images and, per query, its positive and junk gallery rows
/// (rows in the gallery's image order, queries in the queries' image order).
/// </summary>
public sealed record CopyDataset(string Name, IReadOnlyList<ImageRecord> Queries, IReadOnlyList<ImageRecord> Gallery, IReadOnlyList<QueryGroundTruth> GroundTruth);
