using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>
/// How much history each machine keeps (section <c>GanDashboard:Retention</c>; null keeps everything, the default):
/// the newest <see cref="KeepGenerations"/> synthetic generations and the newest <see cref="KeepModels"/> models.
/// </summary>
public sealed record RetentionOptions
{
    public const string Section = "GanDashboard:Retention";
    public const string KeepGenerationsVariable = "GanDashboard__Retention__KeepGenerations";
    public const string KeepModelsVariable = "GanDashboard__Retention__KeepModels";

    public int? KeepGenerations { get; init; }
    public int? KeepModels { get; init; }

    /// <summary>The server's settings as its environment gives them (what a CLI run beside it sees).</summary>
    public static RetentionOptions FromEnvironment(Func<string, string?> environment) => new()
    {
        KeepGenerations = Parse(environment(KeepGenerationsVariable), KeepGenerationsVariable),
        KeepModels = Parse(environment(KeepModelsVariable), KeepModelsVariable),
    };

    public static int? Parse(string? text, string name) => string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text, out int n) && n >= 1 ? n
        : throw new ArgumentException($"{name} is '{text}': give a whole number of at least 1, or leave it unset to keep everything.");
}

/// <summary>What pruning removes (or, dry, would remove): one generation or model with its files and their size.</summary>
public sealed record PrunedItem(string MachineId, string Kind, Guid Id, DateTime CreatedAt, IReadOnlyList<string> Files, long Bytes);

public sealed record PruneResult(IReadOnlyList<PrunedItem> Items, IReadOnlyList<string> Skipped, bool DryRun)
{
    public long Bytes => Items.Sum(i => i.Bytes);
}

/// <summary>
/// Applies <see cref="RetentionOptions"/> to a store: rows and files go together (rows first, in one transaction, then
/// the files, so a failure never leaves a row pointing at a missing file). Never removed: a model a kept generation was
/// made from, and anything of a machine with a task waiting, running or paused (it may be reading them).
/// </summary>
public static class StoreRetention
{
    public const string Generation = "generation";
    public const string Model = "model";

    public static async Task<PruneResult> PruneAsync(GanDashboardDb db, DataPaths paths, RetentionOptions options, bool dryRun, CancellationToken ct = default)
    {
        var items = new List<PrunedItem>();
        var skipped = new List<string>();
        if (options.KeepGenerations is null && options.KeepModels is null) return new PruneResult(items, skipped, dryRun);

        var busy = (await db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Pending || t.Status == TaskStatuses.Started || t.Status == TaskStatuses.Paused)
            .Select(t => t.MachineId).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var datasets = await db.Datasets.AsNoTracking().Where(d => d.GenerationId != null).ToListAsync(ct);
        var models = await db.Models.AsNoTracking().ToListAsync(ct);
        var machines = datasets.Select(d => d.MachineId).Concat(models.Select(m => m.MachineId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

        var doomedDatasets = new List<DatasetRecord>();
        var doomedModels = new List<ModelRecord>();
        foreach (string machineId in machines)
        {
            if (busy.Contains(machineId))
            {
                skipped.Add($"{machineId}: a task is waiting, running or paused; prune again once it has ended.");
                continue;
            }
            var generations = datasets.Where(d => d.MachineId == machineId).GroupBy(d => d.GenerationId!.Value)
                .OrderByDescending(g => g.Max(d => d.GeneratedAt)).ToList();
            var keptGenerations = options.KeepGenerations is { } keepG ? generations.Take(keepG).ToList() : generations;
            foreach (var old in generations.Except(keptGenerations))
            {
                doomedDatasets.AddRange(old);
                items.Add(Item(paths, machineId, Generation, old.Key, old.Max(d => d.GeneratedAt), old.Select(d => d.FilePath)));
            }
            if (options.KeepModels is not { } keepM) continue;
            var needed = keptGenerations.SelectMany(g => g).Select(d => d.ModelId).OfType<Guid>().ToHashSet();
            var machineModels = models.Where(m => m.MachineId == machineId).OrderByDescending(m => m.TrainedAt).ToList();
            foreach (var old in machineModels.Skip(keepM).Where(m => !needed.Contains(m.Id)))
            {
                doomedModels.Add(old);
                items.Add(Item(paths, machineId, Model, old.Id, old.TrainedAt, [old.ModelPath]));
            }
        }
        if (dryRun || items.Count == 0) return new PruneResult(items, skipped, dryRun);

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var generationIds = doomedDatasets.Select(d => d.GenerationId).Distinct().ToList();
            var datasetIds = doomedDatasets.Select(d => d.Id).ToList();
            var modelIds = doomedModels.Select(m => m.Id).ToList();
            await db.ValidationReports.Where(r => generationIds.Contains(r.GenerationId)).ExecuteDeleteAsync(ct);
            await db.Datasets.Where(d => datasetIds.Contains(d.Id)).ExecuteDeleteAsync(ct);
            await db.Models.Where(m => modelIds.Contains(m.Id)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        foreach (var item in items)
            foreach (string file in item.Files)
            {
                string full = paths.Full(file);
                if (File.Exists(full)) File.Delete(full);
                // A generation's folder (machines/{id}/datasets/{generation}) goes once it is empty.
                if (Path.GetDirectoryName(full) is { } folder && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()
                    && Path.GetFileName(folder) == item.Id.ToString("N"))
                    Directory.Delete(folder);
            }
        return new PruneResult(items, skipped, dryRun);
    }

    /// <summary>The bytes of every file under a machine's folder (models, datasets, checkpoints): what the disk really holds.</summary>
    public static long DiskUse(DataPaths paths, string machineId)
    {
        var folder = new DirectoryInfo(Path.Combine(paths.Root, "machines", machineId));
        return folder.Exists ? folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
    }

    private static PrunedItem Item(DataPaths paths, string machineId, string kind, Guid id, DateTime createdAt, IEnumerable<string> files)
    {
        var list = files.ToList();
        long bytes = list.Select(paths.Full).Where(File.Exists).Sum(f => new FileInfo(f).Length);
        return new PrunedItem(machineId, kind, id, createdAt, list, bytes);
    }
}
