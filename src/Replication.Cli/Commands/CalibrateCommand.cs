using System.CommandLine;
using Replication.Analyses.Calibration;
using Replication.Core.Compute;

namespace Replication.Cli.Commands;

/// <summary>Calibrates a model's replica threshold on unrelated pairs (<see cref="PairCalibrationRun"/>) and, with --write-card,
/// records it on the card, where a scan with the automatic threshold finds it.</summary>
public sealed class CalibrateCommand : Command
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string> _images = OptionKinds.Text("--images", "manifest CSV with path and label columns; the label names each image's groups (';'-separated); pairs sharing a group are not unrelated", required: true);
    private readonly Option<double> _exceedance = OptionKinds.Number("--exceedance", "share of unrelated pairs allowed above the threshold (0.0001: one in 10,000)", "0.0001", 1e-9, UnrelatedPairCalibration.MaxExceedance);
    private readonly Option<string> _out = OptionKinds.Text("--out", "output folder (embeddings, calibration.json, highest-pairs.csv)", required: true);
    private readonly Option<string> _writeCard = OptionKinds.Text("--write-card", "card JSON to record the calibration in (its 'calibration' field)");
    private readonly Option<Setting<ComputeDevice>> _device = CommonOptions.Device();
    private readonly Option<int> _batch = CommonOptions.Batch();

    public CalibrateCommand() : base("calibrate", "calibrate a model's replica threshold on pairs of unrelated images: the score that only --exceedance of them exceed")
    {
        foreach (var o in new Option[] { _model, _images, _exceedance, _out, _writeCard, _device, _batch }) Options.Add(o);
        SetAction(Run);
    }

    private int Run(ParseResult p)
    {
        string images = CommonOptions.Existing(p.GetValue(_images)!, "--images", "calibration manifest");
        string? card = p.GetValue(_writeCard);
        if (card is not null) card = CommonOptions.Existing(card, "--write-card", "model card JSON");
        int batch = CommonOptions.CheckBatch(p.GetValue(_batch), CommonOptions.CardOf(p.GetValue(_model)!));
        var options = new PairCalibrationOptions
        {
            Model = p.GetValue(_model)!, Images = images, OutputFolder = p.GetValue(_out)!, Exceedance = p.GetValue(_exceedance),
            Device = p.GetValue(_device)!.Value, BatchSize = batch,
        };
        var result = ConsoleProgress.Run(progress => PairCalibrationRun.Run(options, progress));
        Console.WriteLine(result.Describe());
        if (card is not null)
        {
            PairCalibrationRun.WriteToCard(card, result);
            Console.WriteLine($"written to {card}");
        }
        return ExitCodes.Success;
    }
}
