using System.Net;
using System.Net.Sockets;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Storage;

/// <summary>Bad database or node configuration stops start-up with a message that names the key to fix.</summary>
public sealed class DatabaseConfigurationTests
{
    private static Exception StartFailure(Dictionary<string, string?> settings)
    {
        using var app = new GanDashboardApp(settings);
        var start = () => app.CreateClient();
        return start.Should().Throw<Exception>().Which;
    }

    private static string AllMessages(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + AllMessages(e.InnerException);

    [Fact]
    public void An_unknown_provider_names_the_provider_key_and_the_choices()
    {
        string message = AllMessages(StartFailure(new() { ["GanDashboard:DatabaseProvider"] = "oracle" }));
        message.Should().Contain("GanDashboard:DatabaseProvider").And.Contain("'oracle'").And.Contain("'sqlite'").And.Contain("'postgres'");
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_connection_string_key()
    {
        string message = AllMessages(StartFailure(new() { ["GanDashboard:DatabaseProvider"] = "postgres" }));
        message.Should().Contain("ConnectionStrings:GanDashboard");
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("web")]
    public void A_worker_or_web_node_on_sqlite_is_refused_because_clustering_needs_postgres(string role)
    {
        string message = AllMessages(StartFailure(new() { ["GanDashboard:Node:Role"] = role }));
        message.Should().Contain("GanDashboard:Node:Role").And.Contain("PostgreSQL");
    }

    [Fact]
    public void An_unknown_role_names_the_role_key()
    {
        AllMessages(StartFailure(new() { ["GanDashboard:Node:Role"] = "boss" })).Should().Contain("GanDashboard:Node:Role").And.Contain("'boss'");
    }

    [Fact]
    public void An_unreachable_database_fails_after_a_bounded_retry_naming_the_connection_string_key()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string message = AllMessages(StartFailure(new()
        {
            ["GanDashboard:DatabaseProvider"] = "postgres",
            ["ConnectionStrings:GanDashboard"] = $"Host=127.0.0.1;Port={closedPort};Username=postgres;Database=none;Timeout=2",
            ["GanDashboard:DatabaseConnectTimeout"] = "00:00:03",
        }));
        message.Should().Contain("ConnectionStrings:GanDashboard").And.Contain("could not be reached");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the retry is bounded by GanDashboard:DatabaseConnectTimeout");
    }

    [Fact]
    public void Postgres_connections_of_ef_core_reuse_prepared_statements_unless_the_connection_string_says_otherwise()
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(GanDashboard.Storage.DatabaseProviders.WithStatementReuse("Host=db;Database=gd;Username=gd"));
        tuned.MaxAutoPrepare.Should().BeGreaterThan(0);
        tuned.NoResetOnClose.Should().BeTrue();
        tuned.Host.Should().Be("db");

        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(GanDashboard.Storage.DatabaseProviders.WithStatementReuse("Host=db;Max Auto Prepare=0;NoResetOnClose=false"));
        chosen.MaxAutoPrepare.Should().Be(0);
        chosen.NoResetOnClose.Should().BeFalse();
    }
}
