using System.Text.Json;
using GanDashboard.Core.Quality;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Read-only queries behind the dashboard pages. Each call opens and closes its own DbContext, so a
/// component never holds one across renders.
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<GanDashboardDb> dbFactory)
{
    public async Task<OverviewCounts> CountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await StoreCounts.ReadAsync(db, ct);
        return new OverviewCounts(counts.Machines, counts.Models, counts.Datasets, counts.RunningTasks, counts.PendingTasks);
    }

    /// <summary>Where each machine stands: "running" while a task waits or runs, else its next step (seed, train, generate, validate) or "done".</summary>
    public async Task<IReadOnlyDictionary<string, string>> MachineStagesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var machines = await db.Machines.Select(m => m.MachineId).ToListAsync(ct);
        var seeded = (await db.Datasets.Where(d => d.DatasetType == "seed").Select(d => d.MachineId).Distinct().ToListAsync(ct)).ToHashSet();
        var trained = (await db.Models.Select(m => m.MachineId).Distinct().ToListAsync(ct)).ToHashSet();
        var generated = (await db.Datasets.Where(d => d.DatasetType == "train").Select(d => d.MachineId).Distinct().ToListAsync(ct)).ToHashSet();
        var validated = (await db.ValidationReports.Select(r => r.MachineId).Distinct().ToListAsync(ct)).ToHashSet();
        var running = (await db.Tasks.Where(t => t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started)
            .Select(t => t.MachineId).Distinct().ToListAsync(ct)).ToHashSet();
        return machines.ToDictionary(id => id, id =>
            running.Contains(id) ? "running" : !seeded.Contains(id) ? "seed" : !trained.Contains(id) ? "train"
            : !generated.Contains(id) ? "generate" : !validated.Contains(id) ? "validate" : "done", StringComparer.Ordinal);
    }

    /// <summary>Trained models, newest first, optionally of one machine.</summary>
    public async Task<IReadOnlyList<ModelRunView>> ModelsAsync(string? machineId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Models.AsNoTracking();
        if (machineId is not null) query = query.Where(m => m.MachineId == machineId);
        var rows = await query.OrderByDescending(m => m.TrainedAt).Take(200).ToListAsync(ct);
        return rows.Select(m => new ModelRunView(m.Id, m.MachineId, m.Mode, m.Epochs, m.FinalLoss, m.FinalValidationLoss,
            m.TrainingTimeSeconds, m.TrainedAt, TrainingHistory.Parse(m.HistoryJson))).ToList();
    }

    /// <summary>Stored datasets, newest first, optionally of one machine.</summary>
    public async Task<IReadOnlyList<DatasetView>> DatasetsAsync(string? machineId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Datasets.AsNoTracking();
        if (machineId is not null) query = query.Where(d => d.MachineId == machineId);
        var rows = await query.OrderByDescending(d => d.GeneratedAt).Take(500).ToListAsync(ct);
        return rows.Select(d => new DatasetView(d.Id, d.MachineId, d.DatasetType, d.GenerationId, d.Samples, d.Runs, d.SizeBytes,
            d.GeneratedAt, d.QualityScore, d.ValidationPassed)).ToList();
    }

    /// <summary>Validation reports, newest first, optionally of one machine.</summary>
    public async Task<IReadOnlyList<ReportSummary>> ReportsAsync(string? machineId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ValidationReports.AsNoTracking();
        if (machineId is not null) query = query.Where(r => r.MachineId == machineId);
        return await query.OrderByDescending(r => r.CreatedAt).Take(200)
            .Select(r => new ReportSummary(r.Id, r.MachineId, r.GenerationId, r.Overall, r.Passed, r.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>The full quality report; throws <see cref="InvalidDataException"/> when the stored JSON cannot be read.</summary>
    public async Task<QualityReport?> ReportAsync(Guid reportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? json = await db.ValidationReports.AsNoTracking().Where(r => r.Id == reportId).Select(r => r.ReportJson).SingleOrDefaultAsync(ct);
        if (json is null) return null;
        try { return JsonSerializer.Deserialize<QualityReport>(json, QualityJson.Options); }
        catch (JsonException e) { throw new InvalidDataException($"The stored report {reportId} cannot be read ({e.Message}); validate the dataset again.", e); }
    }
}
