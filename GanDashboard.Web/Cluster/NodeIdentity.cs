namespace GanDashboard.Web.Cluster;

/// <summary>This node's name (written on the tasks it runs) and whether it shares its work with other nodes (PostgreSQL).</summary>
public sealed record NodeIdentity(string Name, bool Clustered);
