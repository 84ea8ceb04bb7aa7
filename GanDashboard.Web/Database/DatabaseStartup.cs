using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace GanDashboard.Web.Database;

/// <summary>
/// Applies migrations (and SQLite's WAL mode) before the app serves requests or runs jobs. On PostgreSQL it first waits
/// a bounded time for the server (nodes often start before it), then, holding a PostgreSQL advisory lock so that nodes
/// starting together do this one after the other, migrates with PostgreSQL's own migration set and builds the Quartz
/// scheduler, which creates the clustered job store's tables when they are missing.
/// </summary>
public sealed class DatabaseStartup(
    IDbContextFactory<GanDashboardDb> dbFactory, DatabaseConnection database, ISchedulerFactory schedulerFactory,
    IOptions<StorageOptions> storage, ILogger<DatabaseStartup> logger) : IHostedService
{
    // The advisory lock key of start-up schema work (any fixed number the app uses for nothing else).
    private const long SchemaLock = 0x6764_5363_6865_6D61;   // "gdSchema"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.IsPostgres)
        {
            await WaitForServerAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var lockSchema = new NpgsqlCommand($"SELECT pg_advisory_lock({SchemaLock})", connection))
                await lockSchema.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await using var postgres = new PostgresMigrationsDb(new DbContextOptionsBuilder<PostgresMigrationsDb>()
                    .UseNpgsql(database.ConnectionString).Options);
                await postgres.Database.MigrateAsync(cancellationToken);
                await schedulerFactory.GetScheduler(cancellationToken);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SchemaLock})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
            logger.LogInformation("Database ready (PostgreSQL, Quartz job store clustered)");
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets the dashboard read while a job writes; NORMAL sync is safe with WAL.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken);
        logger.LogInformation("Database ready ({Provider})", db.Database.ProviderName);
    }

    private async Task WaitForServerAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + storage.Value.DatabaseConnectTimeout;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= deadline)
                    throw new InvalidOperationException(
                        $"The PostgreSQL database in {DatabaseProviders.ConnectionStringKey} could not be reached within {storage.Value.DatabaseConnectTimeout.TotalSeconds:F0} s " +
                        $"({attempt} attempts; GanDashboard:DatabaseConnectTimeout sets the wait): {e.Message}", e);
                logger.LogWarning("PostgreSQL not reachable yet (attempt {Attempt}): {Reason}", attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), ct);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
