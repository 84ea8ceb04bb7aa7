namespace GanDashboard.Tests.Support;

/// <summary>
/// The database an integration test's host runs on: SQLite (the default, a file in the data directory) or a fresh
/// database of the tests' private PostgreSQL server. The storage and workflow tests run on both.
/// </summary>
public sealed record TestDatabase(string Provider, string? ConnectionString)
{
    public static readonly TestDatabase Sqlite = new("sqlite", null);

    /// <summary>An empty database on the private PostgreSQL server (started on first use).</summary>
    public static TestDatabase NewPostgres() => new("postgres", PostgresServer.Shared.CreateDatabase());

    public bool IsPostgres => Provider == "postgres";

    /// <summary>Another empty database of the same kind, for a test that needs a second host with other settings.</summary>
    public TestDatabase Another() => IsPostgres ? NewPostgres() : Sqlite;

    /// <summary>The host settings that select this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        if (!IsPostgres) yield break;
        yield return new("GanDashboard:DatabaseProvider", "postgres");
        yield return new("ConnectionStrings:GanDashboard", ConnectionString);
        // Quartz keeps one scheduler per name in the process: hosts on different databases need different names,
        // and hosts that follow each other on one database (a restart) the same one.
        yield return new("GanDashboard:Node:ClusterName", "gd-" + new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection
{
    /// <summary>The tests on PostgreSQL run one at a time: they share one server on a 2-core machine.</summary>
    public const string Name = "PostgreSQL";
}
