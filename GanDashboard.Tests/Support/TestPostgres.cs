using Npgsql;

namespace GanDashboard.Tests.Support;

/// <summary>
/// The private PostgreSQL server <c>./test.sh</c> starts (<c>build/test-postgres.sh</c>), named by the environment
/// variable <c>GANDASHBOARD_TEST_POSTGRES</c>. Each test app gets a database of its own, dropped afterwards.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "GANDASHBOARD_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value
        : throw new InvalidOperationException(
            $"The PostgreSQL tests need a server: run ./test.sh, or start one with 'build/test-postgres.sh start DIR' and set {Variable} to the connection string it prints.");

    /// <summary>Creates an empty database; dispose it to drop it.</summary>
    public static TestDatabase CreateDatabase()
    {
        string name = "gd_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString);
    }
}

public sealed class TestDatabase(string name, string connectionString) : IDisposable
{
    public string Name { get; } = name;
    public string ConnectionString { get; } = connectionString;

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
