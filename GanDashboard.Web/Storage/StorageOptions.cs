namespace GanDashboard.Web.Storage;

/// <summary>Where the product keeps its state (configuration section <c>GanDashboard</c>).</summary>
public sealed record StorageOptions
{
    public const string Section = "GanDashboard";

    /// <summary>The data directory: the SQLite database and per-machine folders. Relative paths resolve against the content root.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>The EF Core provider: <c>sqlite</c> (the embedded default). The connection string <c>ConnectionStrings:GanDashboard</c> overrides the default SQLite file.</summary>
    public string DatabaseProvider { get; init; } = "sqlite";
}
