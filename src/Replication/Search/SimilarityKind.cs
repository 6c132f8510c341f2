namespace Replication.Search;

public enum SimilarityKind
{
    InnerProduct,
    SplitProduct,
}
