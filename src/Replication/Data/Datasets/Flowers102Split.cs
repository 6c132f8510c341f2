namespace Replication.Data.Datasets;

/// <summary>The splits of Oxford Flowers 102's <c>setid.mat</c> (<c>trnid</c>, <c>valid</c>, <c>tstid</c>), or all 8,189 images.</summary>
public enum Flowers102Split
{
    All,
    Train,
    Validation,
    Test,
}
