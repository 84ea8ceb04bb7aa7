using System.Net;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Cluster;

/// <summary>Bad configuration stops the start with an error that names the key to fix; a worker node serves only its health.</summary>
public sealed class ClusterConfigurationTests
{
    [Theory]
    [InlineData("GanDashboard:DatabaseProvider", "mysql", "GanDashboard:DatabaseProvider 'mysql' is not supported")]
    [InlineData("GanDashboard:Node:Role", "worker", "GanDashboard:Node:Role 'worker' needs a cluster, and clustering needs PostgreSQL")]
    [InlineData("GanDashboard:Node:Role", "leader", "GanDashboard:Node:Role 'leader' is not a role")]
    public void A_bad_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { [key] = value });
        var start = () => app.CreateClient();
        start.Should().Throw<InvalidOperationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_connection_string()
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { ["GanDashboard:DatabaseProvider"] = "postgres" });
        var start = () => app.CreateClient();
        start.Should().Throw<InvalidOperationException>().WithMessage("*ConnectionStrings:GanDashboard must be set*");
    }

    [Fact]
    public void An_unreachable_database_stops_the_start_after_the_bounded_retry()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();   // nothing listens there now
        using var app = new GanDashboardApp(new Dictionary<string, string?>
        {
            ["GanDashboard:DatabaseProvider"] = "postgres",
            ["ConnectionStrings:GanDashboard"] = $"Host=127.0.0.1;Port={port};Username=nobody;Database=nothing;Timeout=2",
            ["GanDashboard:DatabaseConnectTimeout"] = "00:00:03",
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = () => app.CreateClient();
        start.Should().Throw<InvalidOperationException>().WithMessage($"*ConnectionStrings:GanDashboard (Host=127.0.0.1;Port={port};Database=nothing) could not be reached within 3 s*");
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5)).And.BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_worker_node_serves_its_health_and_no_dashboard_or_api()
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { ["GanDashboard:Node:Role"] = "worker" }, provider: GanDashboardApp.Postgres);
        using var client = app.CreateClient();
        (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/gan/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/gan/tasks")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/machines")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
