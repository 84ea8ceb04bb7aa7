using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// The built GanDashboard.Web.dll as a child process on a free loopback port, with a fresh data directory,
/// so the browser talks to the real Kestrel, SignalR circuit and Quartz jobs exactly as a user's would.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private const int OutputTailChars = 4000;

    private readonly Process _process;
    private readonly TempFolder _data;
    private readonly StringBuilder _output = new();

    private DashboardServer(Process process, TempFolder data, Uri baseAddress)
    {
        _process = process;
        _data = data;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory => _data.FullPath;

    /// <summary>What the server printed last (start-up failures and crashes are explained here).</summary>
    public string OutputTail
    {
        get
        {
            lock (_output) return _output.Length <= OutputTailChars ? _output.ToString() : _output.ToString(_output.Length - OutputTailChars, OutputTailChars);
        }
    }

    public static async Task<DashboardServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        // The project reference copies the Web app (dll, deps, runtimeconfig, static web asset manifest) next to the tests,
        // so the server is always the build these tests were compiled against.
        string dll = Path.Combine(AppContext.BaseDirectory, "GanDashboard.Web.dll");
        if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            throw new InvalidOperationException($"{dll} (with its runtimeconfig.json) is missing: build GanDashboard.Tests so the Web project is copied next to it.");

        var data = new TempFolder();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        // Development is what serves the static web assets (MudBlazor css/js, app.css) from a build output;
        // other environments expect a published wwwroot and answer those requests with empty bodies.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["GanDashboard__DataDirectory"] = data.FullPath;
        // One TVAE thread: the reference machine has 2 cores and the browser needs one of them.
        start.Environment["GanDashboard__Training__Threads"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (environment is not null) foreach (var kv in environment) start.Environment[kv.Key] = kv.Value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new DashboardServer(process, data, baseAddress);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"GanDashboard.Web exited with code {_process.ExitCode} before answering /healthz:\n{OutputTail}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"GanDashboard.Web did not answer /healthz at {BaseAddress} within {StartTimeout.TotalSeconds:F0} s:\n{OutputTail}");
            await Task.Delay(250);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>A port the OS just handed out; the tiny window before Kestrel binds it is acceptable on loopback.</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The dotnet host that runs the tests (the SDK exports it), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        finally
        {
            _process.Dispose();
            _data.Dispose();
        }
    }
}
