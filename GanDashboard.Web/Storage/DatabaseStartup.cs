using System.Diagnostics;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Storage;

/// <summary>
/// Applies migrations (and SQLite's WAL mode) before the app serves requests or runs jobs. The database gets a bounded
/// time to become reachable (a PostgreSQL container may start after the app); on PostgreSQL the migration runs under a
/// session advisory lock, so nodes starting together migrate one after the other and the later ones find nothing to do.
/// </summary>
public sealed class DatabaseStartup(
    IDbContextFactory<GanDashboardDb> dbFactory, DatabaseSettings database, IOptions<StorageOptions> storage, ILogger<DatabaseStartup> logger) : IHostedService
{
    /// <summary>The advisory lock key every node takes around migrations ("GanDashboard migrate", any fixed number works).</summary>
    internal const long MigrationLockKey = 0x47616E4D69677261;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await WaitUntilReachableAsync(db, cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets the dashboard read while a job writes; NORMAL sync is safe with WAL.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken);
        }
        logger.LogInformation("Database ready ({Provider})", db.Database.ProviderName);
    }

    private async Task WaitUntilReachableAsync(GanDashboardDb db, CancellationToken ct)
    {
        var limit = storage.Value.DatabaseConnectTimeout;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.CloseConnectionAsync();
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                if (clock.Elapsed + delay > limit)
                    throw new InvalidOperationException(
                        $"The database of {DatabaseSettings.ConnectionKey} ({database.Describe()}) could not be reached within " +
                        $"{limit.TotalSeconds:F0} s (GanDashboard:DatabaseConnectTimeout): {e.Message}", e);
                logger.LogWarning("Database {Database} not reachable yet ({Error}); retrying in {Delay} ms", database.Describe(), e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 4000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
