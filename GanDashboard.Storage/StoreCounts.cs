using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>How many of each thing the store holds: what the health, statistics and overview read.</summary>
public sealed class StoreCounts
{
    public int Machines { get; init; }
    public int Models { get; init; }
    public int Datasets { get; init; }
    public int RunningTasks { get; init; }
    public int PendingTasks { get; init; }

    /// <summary>
    /// Every count in one statement: five COUNT queries through EF cost five times its per-query overhead, and the
    /// health and statistics routes are polled. Plain SQL that SQLite and PostgreSQL both read (quoted identifiers).
    /// </summary>
    public static async Task<StoreCounts> ReadAsync(GanDashboardDb db, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<StoreCounts>($"""
            SELECT (SELECT COUNT(*) FROM "machine_profiles") AS "Machines",
                   (SELECT COUNT(*) FROM "tvae_models") AS "Models",
                   (SELECT COUNT(*) FROM "synthetic_datasets") AS "Datasets",
                   (SELECT COUNT(*) FROM "training_tasks" WHERE "Status" = {TaskStatuses.Started}) AS "RunningTasks",
                   (SELECT COUNT(*) FROM "training_tasks" WHERE "Status" = {TaskStatuses.Pending}) AS "PendingTasks"
            """).ToListAsync(ct);
        return rows[0];
    }
}
