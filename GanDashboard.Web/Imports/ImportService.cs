using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;
using GanDashboard.Web.Machines;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Imports;

/// <summary>
/// Imports of users' own run tables: the upload is streamed to <c>imports/{id}/</c>, analysed (mapping, preview,
/// profile, a staged seed file), re-analysed when the user changes the mapping, and on confirmation becomes a machine
/// (or new runs of an imported machine) with its seed dataset registered like generated seed data. Unconfirmed imports
/// expire (<see cref="ImportSettings.ExpiryHours"/>).
/// </summary>
public sealed class ImportService(
    IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths, MachineService machines, TaskService tasks,
    IOptions<ImportSettings> settings, ILogger<ImportService> logger)
{
    public const string AnalyseKind = "import_analyse";
    public const string ConfirmKind = "import";

    public ImportSettings Settings => settings.Value;

    /// <summary>The folder of one import, created on demand.</summary>
    public string Folder(Guid importId)
    {
        string folder = Path.Combine(paths.Root, "imports", importId.ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Copies an upload to disk (never whole in memory), refusing it once it passes the size limit.</summary>
    public async Task<(Guid ImportId, string Path, long Size)> ReceiveAsync(Stream content, string fileName, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        string extension = Path.GetExtension(fileName).ToLowerInvariant() is ".parquet" ? ".parquet" : ".csv";
        string path = Path.Combine(Folder(id), "upload" + extension);
        long limit = settings.Value.MaxBytes;
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += n;
                if (size > limit) throw new ImportTooLargeException($"'{fileName}' is over the {limit / 1048576.0:0.#} MB import limit. Fix: split it into several imports (append runs later), or raise GanDashboard:Import:MaxBytes.");
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        catch
        {
            Directory.Delete(Folder(id), recursive: true);
            throw;
        }
        return (id, path, size);
    }

    /// <summary>Registers a received file and analyses it now (small files) or in a task (large ones).</summary>
    public async Task<(ImportView View, TaskRecord? Task)> CreateAsync(Guid importId, string path, string fileName, long size, string? appendTo, ImportMappingRequest? mapping, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var record = new ImportRecord
        {
            Id = importId, FileName = Path.GetFileName(fileName), StoredPath = paths.Relative(path), SizeBytes = size, Status = ImportStatuses.Analysing,
            AppendTo = appendTo, OptionsJson = JsonSerializer.Serialize(mapping ?? new ImportMappingRequest(), ApiJson.Options),
            CreatedAt = now, ExpiresAt = now.AddHours(settings.Value.ExpiryHours),
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Imports.Add(record);
            await db.SaveChangesAsync(ct);
        }
        if (size <= settings.Value.InlineBytes) return (await AnalyseAsync(importId, mapping, ct), null);
        string machineId = appendTo ?? mapping?.MachineId ?? ImportedProfile.MachineIdFor(record.FileName);
        var task = await tasks.EnqueueAsync(AnalyseKind, machineId, new ImportTaskRequest(importId), ct: ct);
        return (ToView(record, null), task);
    }

    /// <summary>Runs the importer on the stored file with the given mapping; problems leave the import <c>invalid</c> with them listed.</summary>
    public async Task<ImportView> AnalyseAsync(Guid importId, ImportMappingRequest? mapping, CancellationToken ct)
    {
        var record = await FindAsync(importId, ct);
        if (record.Status == ImportStatuses.Confirmed) throw new WorkflowException($"Import {importId} is already confirmed; upload the file again to import it anew.");
        mapping ??= JsonSerializer.Deserialize<ImportMappingRequest>(record.OptionsJson, ApiJson.Options) ?? new ImportMappingRequest();
        if (record.AppendTo is { } target)
        {
            var profile = await machines.ProfileOfAsync(target, ct);
            if (profile.Import is not { } spec) throw new WorkflowException($"Machine '{target}' was not imported; runs can only be appended to an imported machine.");
            mapping = ImportMappingRequest.From(spec, profile.Labels?.RulCap, target);
        }
        var options = mapping.ToOptions(record.FileName, settings.Value.MaxBytes);
        string seed = Path.Combine(Folder(importId), "seed.parquet");
        try
        {
            var result = await TableImporter.ImportAsync(paths.Full(record.StoredPath), options, seed, ct);
            record.Status = ImportStatuses.Ready;
            record.MappingJson = JsonSerializer.Serialize(result.Mapping, ApiJson.Options);
            record.PreviewJson = JsonSerializer.Serialize(result.Preview, ApiJson.Options);
            record.ProfileJson = ProfileJson.Serialize(result.Profile);
            record.ProblemsJson = "[]";
            record.MachineId = result.Profile.MachineId;
        }
        catch (ImportException e)
        {
            if (File.Exists(seed)) File.Delete(seed);
            record.Status = ImportStatuses.Invalid;
            record.ProblemsJson = JsonSerializer.Serialize(e.Problems, ApiJson.Options);
        }
        catch (InvalidDataException e)
        {
            await DeleteAsync(importId, CancellationToken.None);
            throw new InvalidDataException($"'{record.FileName}' cannot be imported: {e.Message}", e);
        }
        record.OptionsJson = JsonSerializer.Serialize(mapping, ApiJson.Options);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Imports.Update(record);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Import {ImportId} of {File}: {Status}", importId, record.FileName, record.Status);
        return ToView(record, null);
    }

    public async Task<ImportView?> GetAsync(Guid importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == importId, ct);
        return record is null ? null : ToView(record, null);
    }

    /// <summary>Queues the confirmation (machine creation or appending) once the analysis is ready.</summary>
    public async Task<TaskRecord> ConfirmAsync(Guid importId, CancellationToken ct)
    {
        var record = await EnsureConfirmableAsync(importId, ct);
        var task = await tasks.EnqueueAsync(ConfirmKind, record.AppendTo ?? record.MachineId!, new ImportTaskRequest(importId), ct: ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        record.ConfirmTaskId = task.TaskId;
        db.Imports.Update(record);
        await db.SaveChangesAsync(ct);
        return task;
    }

    /// <summary>Confirms at once (the page: moving a staged file and a few rows take well under a second).</summary>
    public async Task<ImportConfirmation> ConfirmNowAsync(Guid importId, CancellationToken ct)
    {
        await EnsureConfirmableAsync(importId, ct);
        return await CompleteAsync(importId, null, ct);
    }

    private async Task<ImportRecord> EnsureConfirmableAsync(Guid importId, CancellationToken ct)
    {
        var record = await FindAsync(importId, ct);
        if (record.Status != ImportStatuses.Ready)
            throw new WorkflowException(record.Status == ImportStatuses.Invalid
                ? $"Import {importId} has problems: fix the mapping (PUT /api/gan/imports/{importId}/mapping) or the file first."
                : $"Import {importId} is {record.Status}; only a ready import can be confirmed.");
        if (record.AppendTo is null && await machines.GetAsync(record.MachineId!, ct) is not null)
            throw new WorkflowException($"A machine '{record.MachineId}' already exists. Fix: choose another machine id in the mapping, or append the runs to it.");
        return record;
    }

    /// <summary>Creates the machine (or appends the runs) and registers its seed dataset; run by the confirm task.</summary>
    public async Task<ImportConfirmation> CompleteAsync(Guid importId, IProgress<double>? progress, CancellationToken ct)
    {
        var record = await FindAsync(importId, ct);
        if (record.Status != ImportStatuses.Ready) throw new WorkflowException($"Import {importId} is {record.Status}; it cannot be confirmed.");
        var profile = ProfileJson.Deserialize(record.ProfileJson!);
        string staged = Path.Combine(Folder(importId), "seed.parquet");
        bool appended = record.AppendTo is not null;
        string machineId;
        if (appended)
        {
            machineId = record.AppendTo!;
            staged = await AppendToLatestSeedAsync(machineId, staged, ct);
        }
        else
        {
            var machine = await machines.CreateFromProfileAsync(profile, ct);
            machineId = machine.MachineId;
        }
        progress?.Report(50);
        var datasetId = Guid.NewGuid();
        string target = Path.Combine(paths.MachineFolder(machineId), "seed", $"seed_{datasetId:N}.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(staged, target);
        var preview = JsonSerializer.Deserialize<ImportPreview>(record.PreviewJson!, ApiJson.Options)!;
        var table = appended ? await TableFile.ReadAsync(target, ct) : null;
        long rows = table?.RowCount ?? preview.Rows;
        int runs = table is null ? preview.Runs : table[ImportedColumns.RunId].Numbers!.Distinct().Count();
        var dataset = new DatasetRecord
        {
            Id = datasetId, MachineId = machineId, DatasetType = "seed", FilePath = paths.Relative(target), Samples = checked((int)rows), Runs = runs,
            SizeBytes = new FileInfo(target).Length, Sha256 = await Hashing.FileSha256Async(target, ct),
            ChecksJson = JsonSerializer.Serialize(new { imported_from = record.FileName, import_id = importId, appended }, ApiJson.Options),
            ValidationPassed = true, GeneratedAt = DateTime.UtcNow,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.Datasets.Add(dataset);
            record.Status = ImportStatuses.Confirmed;
            record.ConfirmedAt = DateTime.UtcNow;
            db.Imports.Update(record);
            await db.SaveChangesAsync(ct);
        }
        File.Delete(paths.Full(record.StoredPath));
        progress?.Report(100);
        logger.LogInformation("Import {ImportId} confirmed: machine {MachineId}, {Rows} seed rows in {Runs} runs{Appended}", importId, machineId, rows, runs, appended ? " (appended)" : "");
        return new ImportConfirmation(machineId, datasetId, rows, runs, appended);
    }

    /// <summary>The machine's newest seed runs followed by the new runs (run ids continuing), staged beside the import.</summary>
    private async Task<string> AppendToLatestSeedAsync(string machineId, string staged, CancellationToken ct)
    {
        DatasetRecord? latest;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            latest = await db.Datasets.AsNoTracking().Where(d => d.MachineId == machineId && d.DatasetType == "seed")
                .OrderByDescending(d => d.GeneratedAt).FirstOrDefaultAsync(ct);
        }
        if (latest is null) return staged;
        var existing = await TableFile.ReadAsync(paths.Full(latest.FilePath), ct);
        var added = await TableFile.ReadAsync(staged, ct);
        if (!existing.ColumnNames.SequenceEqual(added.ColumnNames))
            throw new WorkflowException($"The new file's columns ({string.Join(", ", added.ColumnNames)}) differ from the machine's seed data ({string.Join(", ", existing.ColumnNames)}). Fix: export the same columns.");
        double offset = existing[ImportedColumns.RunId].Numbers!.DefaultIfEmpty(0).Max();
        var shifted = added.Columns.Select(c => c.Name == ImportedColumns.RunId ? Column.Numeric(c.Name, Array.ConvertAll(c.Numbers!, v => v + offset), isInteger: true) : c);
        string merged = Path.Combine(Path.GetDirectoryName(staged)!, "merged.parquet");
        await TableFile.WriteAsync(Table.Concat([existing, new Table(shifted)]), merged, ct);
        return merged;
    }

    /// <summary>Deletes an import's row and files (not a confirmed import's machine).</summary>
    public async Task<bool> DeleteAsync(Guid importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Imports.FirstOrDefaultAsync(i => i.Id == importId, ct);
        string folder = Path.Combine(paths.Root, "imports", importId.ToString("N"));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        if (record is null) return false;
        db.Imports.Remove(record);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Deletes unconfirmed imports whose time is up; returns how many.</summary>
    public async Task<int> ExpireAsync(DateTime now, CancellationToken ct = default)
    {
        List<Guid> expired;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            expired = await db.Imports.AsNoTracking().Where(i => i.Status != ImportStatuses.Confirmed && i.ExpiresAt < now).Select(i => i.Id).ToListAsync(ct);
        }
        foreach (var id in expired) await DeleteAsync(id, ct);
        if (expired.Count > 0) logger.LogInformation("Expired {Count} unconfirmed imports", expired.Count);
        return expired.Count;
    }

    private async Task<ImportRecord> FindAsync(Guid importId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == importId, ct)
            ?? throw new KeyNotFoundException($"No import {importId} (unconfirmed imports expire after {settings.Value.ExpiryHours:0.#} hours).");
    }

    private static ImportView ToView(ImportRecord r, string? taskId) => new(
        r.Id, r.Status, r.FileName, r.SizeBytes, r.MachineId, r.AppendTo,
        r.MappingJson is null ? null : JsonSerializer.Deserialize<ImportMapping>(r.MappingJson, ApiJson.Options),
        r.PreviewJson is null ? null : JsonSerializer.Deserialize<ImportPreview>(r.PreviewJson, ApiJson.Options),
        r.ProfileJson is null ? null : ProfileJson.Deserialize(r.ProfileJson),
        r.ProblemsJson is null ? [] : JsonSerializer.Deserialize<List<ImportProblem>>(r.ProblemsJson, ApiJson.Options) ?? [],
        r.CreatedAt, r.ExpiresAt, taskId ?? r.ConfirmTaskId);
}

/// <summary>An upload over the import size limit (413).</summary>
public sealed class ImportTooLargeException(string message) : Exception(message);

public sealed record ImportTaskRequest(Guid ImportId);

public static class ImportStatuses
{
    public const string Analysing = "analysing";
    public const string Ready = "ready";
    public const string Invalid = "invalid";
    public const string Confirmed = "confirmed";
}

/// <summary>Analyses a large upload (task kind <c>import_analyse</c>); the result is the import with its preview.</summary>
public sealed class ImportAnalyseTaskHandler(ImportService imports) : ITaskHandler
{
    public string Kind => ImportService.AnalyseKind;

    public async Task<object?> RunAsync(TaskContext context)
    {
        var request = JsonSerializer.Deserialize<ImportTaskRequest>(context.Task.RequestJson, ApiJson.Options)!;
        context.Report(10, "Reading the file");
        return await imports.AnalyseAsync(request.ImportId, null, context.Cancellation);
    }
}

/// <summary>Confirms an import (task kind <c>import</c>): the machine and its seed dataset, or the appended runs.</summary>
public sealed class ImportConfirmTaskHandler(ImportService imports) : ITaskHandler
{
    public string Kind => ImportService.ConfirmKind;

    public async Task<object?> RunAsync(TaskContext context)
    {
        var request = JsonSerializer.Deserialize<ImportTaskRequest>(context.Task.RequestJson, ApiJson.Options)!;
        var progress = new Progress<double>(p => context.Report(p, "Creating the machine"));
        return await imports.CompleteAsync(request.ImportId, progress, context.Cancellation);
    }
}

/// <summary>Deletes unconfirmed imports after their expiry, checking every half hour.</summary>
public sealed class ImportExpiry(ImportService imports, ILogger<ImportExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(30));
        do
        {
            try { await imports.ExpireAsync(DateTime.UtcNow, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Expiring imports failed; trying again later"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
