using System.Text.RegularExpressions;

namespace Replication.Tests.Figures;

/// <summary>
/// Every notebook executed by real Jupyter (nbconvert with the registered .NET kernel, whose pages load require.js) and
/// opened in headless Chromium: each chart must be drawn by plotly.js (its <c>.main-svg</c>) and, with every script
/// stripped (as GitHub and PDF exports show a notebook), its static SVG twin must remain. Needs Debian's jupyter-notebook,
/// jupyter-nbconvert, jupyter-client and chromium (<c>.ci/run</c> installs them): skipped without them, except under CI.
/// </summary>
[Collection(nameof(NotebookCollection))]
public partial class JupyterNotebookTests
{
    private const string Nbconvert = "/usr/bin/jupyter-nbconvert";
    private const string Chromium = "/usr/bin/chromium";

    private static readonly Lazy<string?> KernelProblem = new(() =>
    {
        foreach (var tool in new[] { Nbconvert, Chromium, "/usr/bin/jupyter-kernelspec" })
            if (!File.Exists(tool)) return $"{tool} is missing (apt-get install jupyter-notebook jupyter-nbconvert jupyter-client chromium)";
        string root = Fixtures.RepositoryRoot();
        // the repository's own registration: the kernels' HTTP API on loopback only
        var r = ProcessRunner.Run("bash", [Path.Combine(root, "notebooks", "install-kernel.sh")], root, TimeSpan.FromMinutes(5));
        return r.ExitCode == 0 ? null : $"registering the .NET kernel failed: {r.Stdout}{r.Stderr}";
    });

    [SkippableFact]
    public void TheRegisteredKernelListensOnLoopbackOnly()
    {
        string? problem = KernelProblem.Value;
        if (problem != null && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(problem);
        Skip.If(problem != null, problem);
        // the kernel spec as Jupyter will start it, with a connection file of our own; its HTTP API says where it listens
        var list = ProcessRunner.Run("jupyter-kernelspec", ["list", "--json"], Fixtures.RepositoryRoot(), TimeSpan.FromMinutes(1));
        string dir = (string)System.Text.Json.Nodes.JsonNode.Parse(list.Stdout)!["kernelspecs"]![".net-csharp"]!["resource_dir"]!;
        var argv = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")))!["argv"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Contains("--http-local-only", argv);
        string connection = Path.Combine(Fixtures.TempFolder(), "connection.json");
        int port = 46000 + Random.Shared.Next(1000) * 5;
        File.WriteAllText(connection, $$"""{"shell_port": {{port}}, "iopub_port": {{port + 1}}, "stdin_port": {{port + 2}}, "control_port": {{port + 3}}, "hb_port": {{port + 4}}, "ip": "127.0.0.1", "key": "test", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": ".net-csharp"}""");
        var start = new System.Diagnostics.ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NotebookRunner.NotebooksFolder };
        foreach (var a in argv.Skip(1)) start.ArgumentList.Add(a.Replace("{connection_file}", connection, StringComparison.Ordinal));
        using var kernel = System.Diagnostics.Process.Start(start)!;
        var listening = new System.Collections.Concurrent.ConcurrentQueue<string>();
        kernel.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true) listening.Enqueue(e.Data.Trim()); };
        kernel.ErrorDataReceived += (_, e) => { };
        kernel.BeginOutputReadLine();
        kernel.BeginErrorReadLine();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (listening.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(90) && !kernel.HasExited) Thread.Sleep(500);
        Thread.Sleep(2000); // the other addresses, if any, are logged right after the first
        try { kernel.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        Assert.NotEmpty(listening);
        Assert.All(listening, line => Assert.Matches(@"http://(127\.0\.0\.1|localhost|\[::1\]):\d+", line));
    }

    [SkippableTheory]
    [MemberData(nameof(NotebookTests.Notebooks), MemberType = typeof(NotebookTests))]
    public void RealJupyterRunsTheNotebookAndChromiumDrawsEveryChart(string notebook)
    {
        string? problem = KernelProblem.Value;
        if (problem != null && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(problem);
        Skip.If(problem != null, problem);
        NotebookRunner.RequirePackagesFor(notebook);

        string dir = Fixtures.TempFolder();
        string html = Path.Combine(dir, Path.GetFileNameWithoutExtension(notebook) + ".html");
        string source = NotebookRunner.ForTest(notebook);
        ProcessRunner.Result run;
        try
        {
            run = ProcessRunner.Run(Nbconvert, ["--to", "html", "--execute", source, "--output", html,
                "--ExecutePreprocessor.kernel_name=.net-csharp", "--ExecutePreprocessor.timeout=600"], NotebookRunner.NotebooksFolder, TimeSpan.FromMinutes(12));
        }
        finally
        {
            if (source != notebook) File.Delete(Path.Combine(NotebookRunner.NotebooksFolder, source));
        }
        Assert.True(run.ExitCode == 0 && File.Exists(html), $"nbconvert failed (exit {run.ExitCode}):\n{run.Stderr[^Math.Min(3000, run.Stderr.Length)..]}");
        string page = File.ReadAllText(html);
        int charts = Regex.Count(page, "renderPlotly_[0-9a-f]+ = function");
        Assert.True(charts > 0, "the notebook shows no chart");

        // scripted: plotly.js draws every chart even though the page loads require.js
        var dom = ProcessRunner.Run(Chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", "file://" + html], dir, TimeSpan.FromMinutes(2));
        int drawn = Regex.Count(dom.Stdout, "class=\"main-svg\"");
        Assert.True(drawn >= charts, $"{drawn} plotly SVG layers for {charts} charts (Chromium exit {dom.ExitCode})");
        Assert.DoesNotContain("class=\"rs-static\">", dom.Stdout); // the static twins were hidden once plotly.js ran

        // script-free: the static SVG twins remain
        string stripped = ScriptTag().Replace(page, "");
        Assert.Equal(charts, Regex.Count(stripped, "class=\"rs-static\"><svg"));
    }

    [GeneratedRegex(@"<script\b[^>]*>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptTag();
}
