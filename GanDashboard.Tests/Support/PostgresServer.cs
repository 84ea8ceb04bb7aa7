using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GanDashboard.Tests.Support;

/// <summary>
/// A private PostgreSQL server for the tests that run on PostgreSQL: Debian's binaries (test.sh installs them), a fresh
/// cluster under a temporary directory made by initdb, on a free local port, run as an unprivileged user (the
/// <c>postgres</c> account when the tests run as root). One server per test process, each test on a database of its own.
/// A watchdog shell stops the server and deletes its directory when the test process ends, however it ends (even killed).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _adminConnection;

    private PostgresServer(int port)
    {
        Port = port;
        _adminConnection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";
    }

    /// <summary>The server, started on first use.</summary>
    public static PostgresServer Shared => Instance.Value;

    public int Port { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string? name = null)
    {
        name ??= "gd_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(_adminConnection))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=30";
    }

    private static PostgresServer Start()
    {
        string bin = FindBinaries();
        string root = Path.Combine(Path.GetTempPath(), "gandashboard-pg-" + Guid.NewGuid().ToString("N")[..8]);
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        bool asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser) Run("chown", $"postgres {root}");
        int port = FreePort();
        RunAs(asPostgresUser, Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync");
        // Durability settings off: the data is thrown away after the run, and fsync costs seconds on a busy disk.
        string options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        RunAs(asPostgresUser, Path.Combine(bin, "pg_ctl"), $"-D {data} -l {root}/server.log -o \"{options}\" -w -t 60 start");
        StartWatchdog(asPostgresUser, Path.Combine(bin, "pg_ctl"), data, root);
        return new PostgresServer(port);
    }

    private static string FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0).ToList()
            : [];
        return installed.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run ./test.sh, which installs it, or apt-get install postgresql.");
    }

    private static void StartWatchdog(bool asPostgres, string pgCtl, string data, string root)
    {
        int parent = Environment.ProcessId;
        string script = "exec </dev/null >/dev/null 2>&1; " + $"while kill -0 {parent} 2>/dev/null; do sleep 1; done; " +
                        (asPostgres ? $"runuser -u postgres -- {pgCtl} -D {data} -m immediate stop" : $"{pgCtl} -D {data} -m immediate stop") +
                        $"; rm -rf {root}";
        var watchdog = new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        Process.Start(watchdog);
    }

    private static void RunAs(bool asPostgres, string program, string arguments)
    {
        if (asPostgres) Run("runuser", $"-u postgres -- {program} {arguments}");
        else Run(program, arguments);
    }

    private static void Run(string program, string arguments)
    {
        var info = new ProcessStartInfo("sh", ["-c", $"{program} {arguments}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
