using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Cluster;

/// <summary>
/// One node of a test cluster: the built web app (<c>GanDashboard.Web.dll</c> from its own output folder) in a process of
/// its own, on a free port, on the shared PostgreSQL database and data directory. Its output goes to a log file that a
/// failing test prints.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly Process _process;

    private ClusterNode(string name, int port, Process process, string log)
    {
        Name = name;
        Port = port;
        _process = process;
        LogFile = log;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }
    public int Port { get; }
    public string LogFile { get; }
    public HttpClient Client { get; }
    public bool HasExited => _process.HasExited;

    public static ClusterNode Start(string name, TestDatabase database, string dataDirectory, IDictionary<string, string>? settings = null)
    {
        int port = FreePort();
        string log = Path.Combine(dataDirectory, $"{name}-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("dotnet", [WebAppDll()])
        {
            WorkingDirectory = Path.GetDirectoryName(WebAppDll())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["GanDashboard__DataDirectory"] = dataDirectory;
        start.Environment["GanDashboard__DatabaseProvider"] = "postgres";
        start.Environment["ConnectionStrings__GanDashboard"] = database.ConnectionString;
        start.Environment["GanDashboard__Node__Name"] = name;
        start.Environment["GanDashboard__Node__CheckinInterval"] = "00:00:02";
        start.Environment["GanDashboard__Training__Threads"] = "1";
        if (settings is not null) foreach (var kv in settings) start.Environment[kv.Key] = kv.Value;
        var process = new Process { StartInfo = start };
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ClusterNode(name, port, process, log);
    }

    /// <summary>Waits for the node's API health route (the database migrated, Quartz started).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Node {Name} exited at start-up:\n{Log()}");
            try
            {
                if ((await Client.GetAsync("/api/gan/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Node {Name} did not become healthy:\n{Log()}");
    }

    /// <summary>SIGKILL: the node dies without checkpointing, handing anything back or closing its connections.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<JsonElement> GetAsync(string path) => await Client.GetFromJsonAsync<JsonElement>(path, GanDashboardApp.Json);

    /// <summary>Reads a task's WebSocket on this node into <paramref name="events"/> until the final event or the token ends it.</summary>
    public async Task WatchAsync(string route, List<JsonElement> events, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Port}{route}"), ct);
        var buffer = new byte[64 * 1024];
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, ct);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) break;
            var e = JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(message.ToArray()));
            lock (events) events.Add(e);
        }
    }

    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            string text = new StreamReader(stream).ReadToEnd();
            return text.Length > 6000 ? text[^6000..] : text;
        }
        catch (IOException e) { return $"(no log: {e.Message})"; }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The web app as built next to these tests (same configuration), e.g. GanDashboard.Web/bin/Debug/net10.0/linux-x64.</summary>
    private static string WebAppDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = here.Parent!.Parent!.Name;   // bin/{Configuration}/net10.0/linux-x64
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "GanDashboard.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("The repository root (GanDashboard.sln) was not found above the test assembly.");
        string dll = Path.Combine(root.FullName, "GanDashboard.Web", "bin", configuration, "net10.0", "linux-x64", "GanDashboard.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The web app is not built at {dll}.");
    }
}
