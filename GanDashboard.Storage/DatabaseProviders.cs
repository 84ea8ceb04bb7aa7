using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>The two supported EF Core providers and how each is configured from <see cref="StorageOptions"/>.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string ConnectionStringKey = "ConnectionStrings:GanDashboard";
    public const string ProviderKey = "GanDashboard:DatabaseProvider";

    /// <summary>The provider name, checked: an unknown one stops start-up with a message that names the key.</summary>
    public static string Normalize(string? provider) => (provider ?? Sqlite).Trim().ToLowerInvariant() switch
    {
        Sqlite => Sqlite,
        Postgres or "postgresql" or "npgsql" => Postgres,
        _ => throw new InvalidOperationException(
            $"{ProviderKey} is '{provider}', which is not a supported database provider; use '{Sqlite}' (the default) or '{Postgres}'."),
    };

    /// <summary>The connection string to use: the configured one, or the SQLite file in the data directory.</summary>
    public static string ConnectionString(string provider, string? configured, DataPaths paths) => provider switch
    {
        Sqlite => string.IsNullOrWhiteSpace(configured) ? $"Data Source={paths.DatabaseFile}" : configured,
        _ => string.IsNullOrWhiteSpace(configured)
            ? throw new InvalidOperationException($"{ProviderKey} is '{Postgres}' but {ConnectionStringKey} is not set; give it the PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).")
            : configured,
    };

    public static void Configure(DbContextOptionsBuilder options, string provider, string connectionString)
    {
        if (provider == Postgres) options.UseNpgsql(WithStatementReuse(connectionString));
        else options.UseSqlite(connectionString);
    }

    /// <summary>
    /// EF Core's PostgreSQL connections prepare each statement on the server once it recurs and keep it across uses of the
    /// pooled connection (no session reset on close, which would drop it): the app runs the same few dozen queries, and
    /// parsing and planning them anew was most of the server's work. bench api at 32 clients: p99 88-127 ms without,
    /// 53 ms with, against 47-71 ms on SQLite side by side. Settings given in the connection string win. Only EF Core's
    /// connections get this: they hold no session state (the LISTEN and advisory-lock connections keep the plain string).
    /// </summary>
    public static string WithStatementReuse(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare")) builder.MaxAutoPrepare = 64;
        if (!Mentions(connectionString, "No Reset On Close")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, string key) =>
        connectionString.Replace(" ", "", StringComparison.Ordinal).Contains(key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The provider and connection string in use, for code that talks to the database outside EF Core (LISTEN/NOTIFY, advisory locks).</summary>
public sealed record DatabaseConnection(string Provider, string ConnectionString)
{
    public bool IsPostgres => Provider == DatabaseProviders.Postgres;
}
