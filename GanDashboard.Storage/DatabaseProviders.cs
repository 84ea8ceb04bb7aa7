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
        if (provider == Postgres) options.UseNpgsql(connectionString);
        else options.UseSqlite(connectionString);
    }
}

/// <summary>The provider and connection string in use, for code that talks to the database outside EF Core (LISTEN/NOTIFY, advisory locks).</summary>
public sealed record DatabaseConnection(string Provider, string ConnectionString)
{
    public bool IsPostgres => Provider == DatabaseProviders.Postgres;
}
