using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GanDashboard.Tests.Cluster;

/// <summary>
/// One published GanDashboard node as a real process (dotnet GanDashboard.Web.dll) on a free port, configured through
/// environment variables as in deploy/compose.yaml. Its output goes to a log file named after the node.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    private static readonly Lazy<string> PublishedApp = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public ClusterNode(string name, string connectionString, string dataDirectory, IDictionary<string, string>? settings = null)
    {
        Name = name;
        Port = FreePort();
        LogFile = Path.Combine(dataDirectory, $"{name}.log");
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["GanDashboard__DataDirectory"] = dataDirectory,
            ["GanDashboard__DatabaseProvider"] = "postgres",
            ["ConnectionStrings__GanDashboard"] = connectionString,
            ["GanDashboard__Node__Name"] = name,
            ["GanDashboard__Training__Threads"] = "1",
            // The cluster tests are about scheduling, not access: sign-in off, chosen explicitly.
            ["GanDashboard__Auth__Mode"] = "none",
        };
        if (settings is not null) foreach (var kv in settings) _environment[kv.Key] = kv.Value;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }
    public int Port { get; }
    public string LogFile { get; }
    public HttpClient Client { get; }
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process and waits until it answers its health check.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(PublishedApp.Value, "GanDashboard.Web.dll")])
        {
            WorkingDirectory = PublishedApp.Value, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var kv in _environment) info.Environment[kv.Key] = kv.Value;
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Node {Name} exited at start:\n{Log()}");
            try
            {
                if ((await Client.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Node {Name} did not become healthy:\n{Log()}");
            await Task.Delay(250);
        }
    }

    /// <summary>SIGTERM, as an orchestrator stopping a container for an upgrade; waits until the process has exited.</summary>
    public void Terminate()
    {
        if (_process is not { HasExited: false }) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromMinutes(1))) throw new TimeoutException($"Node {Name} did not stop within a minute of SIGTERM:\n{Log()}");
        _process.WaitForExit();   // and its output is drained into the log
    }

    /// <summary>SIGKILL: the node dies without a chance to checkpoint, hand back or tell anyone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public string Log()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            string text = reader.ReadToEnd();
            return text.Length > 60_000 ? text[^60_000..] : text;
        }
        catch (IOException) { return ""; }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        Client.Dispose();
    }

    /// <summary>Publishes the web app once per test run, in the configuration the tests were built in (publishing then only copies).</summary>
    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string Publish()
    {
        string repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "GanDashboard.sln")))
            repository = Path.GetDirectoryName(repository) ?? throw new InvalidOperationException("GanDashboard.sln not found above the test output.");
        string output = Path.Combine(Path.GetTempPath(), "gandashboard-tests", "published-" + Guid.NewGuid().ToString("N")[..8]);
        var info = new ProcessStartInfo("dotnet", ["publish", Path.Combine(repository, "GanDashboard.Web", "GanDashboard.Web.csproj"),
            "-c", BuildConfiguration, "-o", output, "-nologo", "-v", "quiet"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{text}");
        // Half a gigabyte (libtorch): removed by a shell that outlives the test process, however that process ends.
        var cleanup = new ProcessStartInfo("setsid", ["sh", "-c", $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; rm -rf '{output}'"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        Process.Start(cleanup);
        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
