using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Storage;

/// <summary>Applies migrations (and SQLite's WAL mode) before the app serves requests or runs jobs.</summary>
public sealed class DatabaseStartup(IDbContextFactory<GanDashboardDb> dbFactory, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while a job writes; NORMAL sync is safe with WAL.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken);
        }
        logger.LogInformation("Database ready ({Provider})", db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
