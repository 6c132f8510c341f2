using Replication.Cli;
using Replication.Figures;
using Replication.Images;

namespace Replication.Tests.Cli;

/// <summary>The one error model: each user-error type to its exit code and one line; anything else a bug with its stack trace.</summary>
public class ErrorModelTests
{
    public static TheoryData<Exception, int> Mapping() => new()
    {
        { new UsageException("--k 0: must be at least 1", "--k"), ExitCodes.Usage },
        { new FigureParameterException("GalleryRows", 0, "must be at least 1"), ExitCodes.Usage },
        { new InputDataException("m.csv: line 3: 'score' is not a number"), ExitCodes.InputData },
        { new ImageDecodeException("a.png", "truncated"), ExitCodes.InputData },
        { new InvalidDataException("denoiser.json: bad"), ExitCodes.InputData },
        { new IOException("disk full"), ExitCodes.InputData },
        { new UnauthorizedAccessException("out: permission denied"), ExitCodes.InputData },
        { new InputMissingException("--images x: no such file or folder", "x"), ExitCodes.InputMissing },
        { new FileNotFoundException("x: not found"), ExitCodes.InputMissing },
        { new DirectoryNotFoundException("x: not found"), ExitCodes.InputMissing },
        { new EnvironmentException("charts/Replication.Charts.dll: the chart renderer is missing"), ExitCodes.Environment },
        { new ArgumentException("destination too small"), ExitCodes.InternalError },
        { new ArgumentOutOfRangeException("start"), ExitCodes.InternalError },
        { new NotSupportedException(), ExitCodes.InternalError },
        { new InvalidOperationException("this scorer was built for top-k"), ExitCodes.InternalError },
    };

    [Theory]
    [MemberData(nameof(Mapping))]
    public void EachExceptionEndsWithItsExitCode(Exception e, int code)
    {
        Assert.Equal(code, ExitCodes.For(e));
        var error = new StringWriter();
        Assert.Equal(code, ErrorReport.Write(e, error));
        if (code == ExitCodes.InternalError) return;
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", error.ToString());
    }

    [Fact]
    public void UserErrorsAreOneLineNamingTheOptionNotTheProperty()
    {
        var error = new StringWriter();
        int code = ErrorReport.Write(new FigureParameterException("GalleryRows", 0, "must be at least 1"), error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("error: --gallery-rows 0: must be at least 1", error.ToString().TrimEnd());
        // the notebook sees the property name it wrote
        Assert.Equal("GalleryRows = 0: must be at least 1", new FigureParameterException("GalleryRows", 0, "must be at least 1").Message);
        error = new StringWriter();
        ErrorReport.Write(new InputDataException("first line\nsecond line"), error);
        Assert.Equal("error: first line second line", error.ToString().TrimEnd());
    }

    [Fact]
    public void ABugPrintsItsStackTraceAndAsksForAReportWithTheVersion()
    {
        Exception bug;
        try { throw new InvalidOperationException("an invariant broke"); }
        catch (InvalidOperationException e) { bug = e; }
        var error = new StringWriter();
        Assert.Equal(70, ErrorReport.Write(bug, error));
        string text = error.ToString();
        Assert.StartsWith("internal error: System.InvalidOperationException: an invariant broke", text);
        Assert.Contains("   at ", text);
        Assert.Contains(nameof(ABugPrintsItsStackTraceAndAsksForAReportWithTheVersion), text);
        Assert.Contains("please report it", text);
        Assert.Contains($"replication {ErrorReport.Version}", text);
        Assert.Matches(@"^\d+\.\d+\.\d+", ErrorReport.Version);
    }
}
