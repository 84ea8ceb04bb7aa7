namespace GanDashboard.Web.Cluster;

/// <summary>What this process is in a cluster (configuration section <c>GanDashboard:Node</c>).</summary>
public sealed record NodeOptions
{
    public const string Section = "GanDashboard:Node";
    public const string RoleKey = "GanDashboard:Node:Role";

    /// <summary><c>all</c> (dashboard, API and jobs; the default), <c>web</c> (dashboard and API, runs no jobs) or <c>worker</c> (runs jobs, serves only health).</summary>
    public string Role { get; init; } = NodeRoles.All;

    /// <summary>The node's name, shown on every task it runs; unique in a cluster. Default: the host name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// How often a node records in the database that it is alive. A node that misses its check-ins for twice this long is
    /// taken for dead, and another node recovers its tasks: about three intervals after a crash (15 s by default).
    /// </summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    public string ResolvedName => string.IsNullOrWhiteSpace(Name) ? Environment.MachineName : Name.Trim();

    public bool RunsJobs => Role != NodeRoles.Web;

    public bool ServesDashboard => Role != NodeRoles.Worker;

    /// <summary>Refuses a role that does not exist, and roles that need a shared database on SQLite.</summary>
    public void Validate(bool postgres)
    {
        if (Role is not (NodeRoles.All or NodeRoles.Web or NodeRoles.Worker))
            throw new InvalidOperationException($"{RoleKey} '{Role}' is not a role; use 'all' (the default), 'web' or 'worker'.");
        if (Role != NodeRoles.All && !postgres)
            throw new InvalidOperationException(
                $"{RoleKey} '{Role}' needs a cluster, and clustering needs PostgreSQL: set GanDashboard:DatabaseProvider to 'postgres' " +
                "and ConnectionStrings:GanDashboard, or leave the role at 'all' for a single SQLite node.");
        if (CheckinInterval < TimeSpan.FromSeconds(1) || CheckinInterval > TimeSpan.FromMinutes(1))
            throw new InvalidOperationException($"GanDashboard:Node:CheckinInterval '{CheckinInterval}' must be between 00:00:01 and 00:01:00.");
    }
}

public static class NodeRoles
{
    public const string All = "all";
    public const string Web = "web";
    public const string Worker = "worker";
}
