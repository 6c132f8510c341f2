namespace Replication.Reporting.Metrics;

/// <summary>
/// A density histogram: <see cref="Edges"/> has one more entry than <see cref="Values"/>. <see cref="Below"/> and
/// <see cref="Above"/> count finite values outside the edges, which are not drawn (the official code's <c>plt.hist</c>
/// drops them without a word; we count and report them).
/// </summary>
public sealed record Histogram(double[] Edges, double[] Values, int Below = 0, int Above = 0)
{
    public int Outside => Below + Above;
}
