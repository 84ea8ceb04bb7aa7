using System.Data.Common;
using System.Diagnostics.Metrics;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GanDashboard.Web.Metrics;

/// <summary>
/// The app's own instruments, all on one <see cref="Meter"/> named <c>GanDashboard</c> (exported at <c>/metrics</c> with
/// ASP.NET Core's request metrics and the runtime's). Prometheus names: <c>gandashboard_tasks</c> (by kind and state),
/// <c>gandashboard_tasks_queued</c>, <c>gandashboard_training_epochs_total</c> (rate() gives epochs per second),
/// <c>gandashboard_model_cache_hits_total</c> / <c>_misses_total</c>, <c>gandashboard_db_command_duration_seconds</c>.
/// </summary>
public sealed class GanDashboardMetrics
{
    public const string MeterName = "GanDashboard";

    /// <summary>The task gauges read the database at most this often, whatever the scrape interval.</summary>
    private static readonly TimeSpan TaskCountsMaxAge = TimeSpan.FromSeconds(5);

    private readonly IServiceProvider _services;
    private readonly ILogger<GanDashboardMetrics> _logger;
    private readonly Counter<long> _epochs;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Histogram<double> _dbDuration;
    private readonly Lock _countsLock = new();
    private (DateTime At, IReadOnlyList<(string Kind, string State, int Count)> Rows) _counts = (DateTime.MinValue, []);

    /// <summary>
    /// The database factory is looked up when first needed, not injected: the factory's options carry
    /// <see cref="DatabaseLatencyInterceptor"/>, which needs this class.
    /// </summary>
    public GanDashboardMetrics(IMeterFactory meters, IServiceProvider services, ILogger<GanDashboardMetrics> logger)
    {
        _services = services;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("gandashboard.tasks", ObserveTasks, "{task}", "Tasks in the database by kind and state.");
        meter.CreateObservableGauge("gandashboard.tasks.queued", ObserveQueue, "{task}", "Tasks waiting for a worker (state PENDING).");
        _epochs = meter.CreateCounter<long>("gandashboard.training.epochs", "{epoch}", "Training epochs finished (rate() gives epochs per second).");
        _cacheHits = meter.CreateCounter<long>("gandashboard.model_cache.hits", "{request}", "Generations that found their model loaded.");
        _cacheMisses = meter.CreateCounter<long>("gandashboard.model_cache.misses", "{request}", "Generations that had to load their model from disk.");
        _dbDuration = meter.CreateHistogram<double>("gandashboard.db.command.duration", "s", "Database command latency (EF Core commands).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void EpochFinished(string kind) => _epochs.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ModelCacheHit() => _cacheHits.Add(1);

    public void ModelCacheMiss() => _cacheMisses.Add(1);

    /// <summary><paramref name="operation"/>: reader, non_query, scalar, or failed.</summary>
    public void DatabaseCommand(TimeSpan duration, string operation) =>
        _dbDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    private IEnumerable<Measurement<int>> ObserveTasks() =>
        TaskCounts().Select(r => new Measurement<int>(r.Count, new KeyValuePair<string, object?>("kind", r.Kind), new KeyValuePair<string, object?>("state", r.State)));

    private IEnumerable<Measurement<int>> ObserveQueue() => [new(TaskCounts().Where(r => r.State == TaskStatuses.Pending).Sum(r => r.Count))];

    /// <summary>One GROUP BY over the tasks table, cached a few seconds (both gauges and every scrape within that share it).</summary>
    private IReadOnlyList<(string Kind, string State, int Count)> TaskCounts()
    {
        lock (_countsLock)
        {
            if (DateTime.UtcNow - _counts.At < TaskCountsMaxAge) return _counts.Rows;
            try
            {
                // Observable callbacks are synchronous; the scrape waits for this one small query.
                using var db = _services.GetRequiredService<IDbContextFactory<GanDashboardDb>>().CreateDbContext();
                var rows = db.Tasks.AsNoTracking().GroupBy(t => new { t.Kind, t.Status }).Select(g => new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToList();
                _counts = (DateTime.UtcNow, rows.Select(r => (r.Kind, r.Status, r.Count)).ToList());
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or ObjectDisposedException)
            {
                // A scrape during start-up (before migration) or a database outage: report the last counts, say why once per scrape.
                _logger.LogWarning("Task metrics not refreshed: {Message}", e.Message);
            }
            return _counts.Rows;
        }
    }
}

/// <summary>Times every EF Core command into <see cref="GanDashboardMetrics.DatabaseCommand"/> (the durations EF Core measures itself).</summary>
public sealed class DatabaseLatencyInterceptor(GanDashboardMetrics metrics) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        metrics.DatabaseCommand(eventData.Duration, "reader");
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, "reader");
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        metrics.DatabaseCommand(eventData.Duration, "non_query");
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, "non_query");
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        metrics.DatabaseCommand(eventData.Duration, "scalar");
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, "scalar");
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => metrics.DatabaseCommand(eventData.Duration, "failed");

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        metrics.DatabaseCommand(eventData.Duration, "failed");
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>GanDashboard:Metrics</c>: <see cref="Enabled"/> turns the OpenTelemetry pipeline and <c>/metrics</c> on (default);
/// <see cref="AllowAnonymous"/> lets a scraper in without a key or session (default off: the host's policy applies).
/// </summary>
public sealed record MetricsOptions
{
    public const string Section = "GanDashboard:Metrics";
    public bool Enabled { get; init; } = true;
    public bool AllowAnonymous { get; init; }
    public string Path { get; init; } = "/metrics";
}
