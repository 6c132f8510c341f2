using System.Globalization;
using Replication.Features;

namespace Replication.Cli.Commands;

public sealed class CheckModelCommand : ICommand
{
    public string Name => "check-model";
    public string Summary => "compare an exported model (card) with the PyTorch outputs that models/export_models.py saved beside it";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("card", "the model card written by export_models.py", Required: true),
        new("tolerance", "largest acceptable |ONNX Runtime − PyTorch| difference", "1e-3"),
        CommonOptions.Device,
    ];

    public int Run(CommandArgs a)
    {
        double tolerance = a.Double("tolerance");
        var results = ExportCheck.Verify(a.Require("card"), CommonOptions.ParseDevice(a));
        foreach (var r in results)
            Console.WriteLine($"{r.Image,-24} max |difference| {r.MaxAbsDifference.ToString("E2", CultureInfo.InvariantCulture)} (largest reference value {r.MaxReferenceMagnitude.ToString("0.###", CultureInfo.InvariantCulture)})");
        bool ok = results.All(r => r.MaxAbsDifference <= tolerance);
        Console.WriteLine(ok ? "matches PyTorch" : $"differs from PyTorch by more than {tolerance}");
        return ok ? 0 : 1;
    }
}
