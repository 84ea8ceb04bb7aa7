using GanDashboard.Storage;
namespace GanDashboard.Web.Cluster;

/// <summary>What this process is in a cluster (configuration section <c>GanDashboard:Node</c>).</summary>
public sealed record NodeOptions
{
    public const string Section = "GanDashboard:Node";
    public const string RoleKey = "GanDashboard:Node:Role";

    /// <summary>The node's name, shown on every task it runs; also its Quartz instance id, so it must be unique in the cluster.</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary><c>all</c> (dashboard, API and jobs; the default), <c>web</c> (dashboard and API, runs no jobs) or <c>worker</c> (runs jobs, serves only health).</summary>
    public string Role { get; init; } = NodeRoles.All;

    /// <summary>The Quartz scheduler name the nodes of one cluster share (rows of other names in the same database are another cluster).</summary>
    public string ClusterName { get; init; } = "GanDashboard";

    /// <summary>How often a node tells the cluster it is alive. A node silent for about twice this long is taken as dead and its tasks are recovered.</summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>True on PostgreSQL: the Quartz job store is shared and clustered (set from the provider, not configured).</summary>
    public bool Clustered { get; init; }

    public bool RunsJobs => Role is NodeRoles.All or NodeRoles.Worker;

    public bool ServesDashboard => Role is NodeRoles.All or NodeRoles.Web;
}

public static class NodeRoles
{
    public const string All = "all";
    public const string Web = "web";
    public const string Worker = "worker";

    /// <summary>The role, checked against the provider: web and worker nodes only make sense with a shared PostgreSQL database.</summary>
    public static string Validate(string? role, string provider)
    {
        string normalized = (role ?? All).Trim().ToLowerInvariant();
        if (normalized is not (All or Web or Worker))
            throw new InvalidOperationException($"{NodeOptions.RoleKey} is '{role}'; use '{All}' (the default), '{Web}' or '{Worker}'.");
        if (normalized != All && provider != DatabaseProviders.Postgres)
            throw new InvalidOperationException(
                $"{NodeOptions.RoleKey} is '{normalized}', but {DatabaseProviders.ProviderKey} is '{provider}': separate web and worker nodes share their work through a clustered " +
                $"Quartz scheduler, which needs PostgreSQL. Set {DatabaseProviders.ProviderKey}=postgres and ConnectionStrings:GanDashboard, or use the role '{All}'.");
        return normalized;
    }
}
