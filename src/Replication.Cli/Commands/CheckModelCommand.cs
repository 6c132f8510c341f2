using System.CommandLine;
using System.Globalization;
using Replication.Core.Compute;
using Replication.Embeddings;

namespace Replication.Cli.Commands;

public sealed class CheckModelCommand : Command
{
    private readonly Option<string> _card = OptionKinds.Text("--card", "the model card written by export_models.py", required: true);
    private readonly Option<double> _tolerance = OptionKinds.Number("--tolerance", "largest acceptable |ONNX Runtime − PyTorch| difference", "1e-3", 0, double.MaxValue);
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();

    public CheckModelCommand() : base("check-model", "compare an exported model (card) with the PyTorch outputs that models/export_models.py saved beside it")
    {
        Options.Add(_card);
        Options.Add(_tolerance);
        Options.Add(_device);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        double tolerance = p.GetValue(_tolerance);
        var results = ExportCheck.Verify(CommonOptions.Existing(p.GetValue(_card)!, "--card", "file"), p.GetValue(_device).Value);
        foreach (var r in results)
            Console.WriteLine($"{r.Image,-24} max |difference| {r.MaxAbsDifference.ToString("E2", CultureInfo.InvariantCulture)} (largest reference value {r.MaxReferenceMagnitude.ToString("0.###", CultureInfo.InvariantCulture)})");
        bool ok = results.All(r => r.MaxAbsDifference <= tolerance);
        Console.WriteLine(ok ? "matches PyTorch" : $"differs from PyTorch by more than {tolerance}");
        return ok ? ExitCodes.Success : ExitCodes.InputData;
    }
}
