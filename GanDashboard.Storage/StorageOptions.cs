namespace GanDashboard.Storage;

/// <summary>Where the product keeps its state (configuration section <c>GanDashboard</c>).</summary>
public sealed record StorageOptions
{
    public const string Section = "GanDashboard";

    /// <summary>The data directory: the SQLite database and per-machine folders. Relative paths resolve against the content root.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>
    /// The EF Core provider: <c>sqlite</c> (the embedded default) or <c>postgres</c> (several nodes, clustered Quartz).
    /// The connection string <c>ConnectionStrings:GanDashboard</c> overrides the default SQLite file and is required for PostgreSQL.
    /// </summary>
    public string DatabaseProvider { get; init; } = DatabaseProviders.Sqlite;

    /// <summary>How long start-up keeps trying to reach a PostgreSQL server that is not up yet (nodes often start before it) before it gives up.</summary>
    public TimeSpan DatabaseConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
