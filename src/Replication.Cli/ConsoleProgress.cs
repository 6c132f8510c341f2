using Replication.Features;
using Replication.Scanning;
using Spectre.Console;

namespace Replication.Cli;

/// <summary>Spectre.Console progress bars for embedding (images/s, ETA) and search (pairs scored).</summary>
public static class ConsoleProgress
{
    public static T Run<T>(Func<ScanProgress, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var hooks = new ScanProgress(
                    Embedding: name =>
                    {
                        var task = ctx.AddTask(name, maxValue: 1);
                        return new Progress<EmbeddingProgress>(p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                            task.Description = $"{name} {p.Done}/{p.Total} ({p.ImagesPerSecond:F1} img/s{(p.Skipped > 0 ? $", {p.Skipped} skipped" : "")})";
                        });
                    },
                    Search: name =>
                    {
                        var task = ctx.AddTask($"search {name}", maxValue: 1);
                        return (done, total) => { task.MaxValue = total; task.Value = done; };
                    });
                result = work(hooks);
            });
        return result;
    }
}
