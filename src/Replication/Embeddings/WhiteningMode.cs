namespace Replication.Embeddings;

/// <summary>How embeddings are transformed before comparison, fitted on the training set and applied to both sides.</summary>
public enum WhiteningMode
{
    /// <summary>As extracted (the paper's setting).</summary>
    None,

    /// <summary>The training mean subtracted.</summary>
    Center,

    /// <summary>Centred and whitened with the sample covariance; needs more training images than dimensions.</summary>
    Whiten,

    /// <summary>Centred and whitened with the Ledoit–Wolf shrunk covariance; works with fewer images than dimensions.</summary>
    WhitenShrunk,
}
