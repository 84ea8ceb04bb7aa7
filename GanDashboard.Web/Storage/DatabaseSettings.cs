using Npgsql;

namespace GanDashboard.Web.Storage;

/// <summary>
/// The database the app talks to, resolved and checked once at start-up from <c>GanDashboard:DatabaseProvider</c> and
/// <c>ConnectionStrings:GanDashboard</c>; a bad value stops the start with a message naming the key to fix.
/// </summary>
public sealed record DatabaseSettings(string Provider, string ConnectionString)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string ProviderKey = "GanDashboard:DatabaseProvider";
    public const string ConnectionKey = "ConnectionStrings:GanDashboard";

    public bool IsPostgres => Provider == Postgres;

    public static DatabaseSettings Resolve(StorageOptions storage, DataPaths paths, IConfiguration configuration)
    {
        string? connection = configuration.GetConnectionString("GanDashboard");
        switch (storage.DatabaseProvider.Trim().ToLowerInvariant())
        {
            case Sqlite:
                return new(Sqlite, string.IsNullOrWhiteSpace(connection) ? $"Data Source={paths.DatabaseFile}" : connection);
            case Postgres or "postgresql":
                if (string.IsNullOrWhiteSpace(connection))
                    throw new InvalidOperationException(
                        $"{ConnectionKey} must be set when {ProviderKey} is 'postgres', e.g. 'Host=db;Database=gandashboard;Username=gandashboard;Password=...'.");
                try { _ = new NpgsqlConnectionStringBuilder(connection); }
                catch (ArgumentException e)
                {
                    throw new InvalidOperationException($"{ConnectionKey} is not a valid PostgreSQL connection string: {e.Message}", e);
                }
                return new(Postgres, connection);
            default:
                throw new InvalidOperationException(
                    $"{ProviderKey} '{storage.DatabaseProvider}' is not supported; use 'sqlite' (the default, one node) or 'postgres' (one or more nodes).");
        }
    }

    /// <summary>Where the database is, for messages: the SQLite file, or host, port and database (never the password).</summary>
    public string Describe()
    {
        if (!IsPostgres) return ConnectionString;
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"Host={b.Host};Port={b.Port};Database={b.Database}";
    }
}
