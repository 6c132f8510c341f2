namespace Replication.Data.Datasets;

/// <summary>The three evaluation protocols of revisited Oxford and Paris (Radenović et al. 2018).</summary>
public enum RevisitopProtocol
{
    /// <summary>Positives: easy. Junk: junk and hard.</summary>
    Easy,

    /// <summary>Positives: easy and hard. Junk: junk.</summary>
    Medium,

    /// <summary>Positives: hard. Junk: junk and easy.</summary>
    Hard,
}
