using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>
/// The store a command-line tool acts on, found the way the server finds its own: the data directory, the provider and
/// the connection string, each from an explicit option first, then the server's environment variables
/// (<c>GanDashboard__DataDirectory</c>, <c>GanDashboard__DatabaseProvider</c>, <c>ConnectionStrings__GanDashboard</c>),
/// then the defaults. Administrator verbs (users, keys, prune, backup) open it while the server may be running, so they
/// only ever use the database's own transactions and locks.
/// </summary>
public sealed record StoreLocation(DataPaths Paths, DatabaseConnection Database)
{
    public const string DataDirectoryVariable = "GanDashboard__DataDirectory";
    public const string ProviderVariable = "GanDashboard__DatabaseProvider";
    public const string ConnectionVariable = "ConnectionStrings__GanDashboard";

    /// <summary>
    /// Resolves the store. A relative data directory resolves against <paramref name="workingDirectory"/> (the server
    /// resolves it against its content root, so give the CLI an absolute path or run it from there).
    /// </summary>
    public static StoreLocation Resolve(
        string? dataDirectory, string? provider, string? connectionString, Func<string, string?> environment, string workingDirectory)
    {
        string directory = First(dataDirectory, environment(DataDirectoryVariable)) ?? new StorageOptions().DataDirectory;
        string normalized = DatabaseProviders.Normalize(First(provider, environment(ProviderVariable)));
        var paths = new DataPaths(Path.Combine(workingDirectory, directory));
        string connection = DatabaseProviders.ConnectionString(normalized, First(connectionString, environment(ConnectionVariable)), paths);
        return new StoreLocation(paths, new DatabaseConnection(normalized, connection));
    }

    /// <summary>Where the store is, for the tool's first output line (a PostgreSQL password is never printed).</summary>
    public string Describe() => Database.IsPostgres
        ? $"PostgreSQL ({new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString) { Password = null }.ConnectionString}), files in {Paths.Root}"
        : $"SQLite {Paths.DatabaseFile}";

    /// <summary>Opens the store with its schema brought up to date (a no-op when the server already migrated it).</summary>
    public async Task<GanDashboardDb> OpenAsync(CancellationToken ct = default)
    {
        if (Database.IsPostgres)
        {
            await using var migrations = new PostgresMigrationsDb(new DbContextOptionsBuilder<PostgresMigrationsDb>().UseNpgsql(Database.ConnectionString).Options);
            await migrations.Database.MigrateAsync(ct);
        }
        var options = new DbContextOptionsBuilder<GanDashboardDb>();
        DatabaseProviders.Configure(options, Database.Provider, Database.ConnectionString);
        var db = new GanDashboardDb(options.Options);
        if (!Database.IsPostgres) await db.Database.MigrateAsync(ct);
        return db;
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
