using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Storage;
using GanDashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Tests.Operations;

/// <summary>Retention: prune keeps the newest generations and models per machine, deletes rows and files together, and never what is still needed.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly StoreLocation _store;
    private readonly DateTime _t0 = new(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);

    public RetentionTests() => _store = StoreLocation.Resolve(_folder.FullPath, "sqlite", null, _ => null, "/");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private string WriteFile(string relative, int bytes)
    {
        string full = _store.Paths.Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new byte[bytes]);
        return relative;
    }

    /// <summary>Three models (day 0, 1, 2) and three generations (day 0, 1, 2, each from the model of its day), file sizes known.</summary>
    private async Task<(List<Guid> Models, List<Guid> Generations)> FillAsync(GanDashboardDb db, string machineId)
    {
        var models = new List<Guid>();
        var generations = new List<Guid>();
        for (int day = 0; day < 3; day++)
        {
            var model = new ModelRecord
            {
                Id = Guid.NewGuid(), MachineId = machineId, Mode = "plain", Sha256 = "x", TrainedAt = _t0.AddDays(day),
                ModelPath = WriteFile($"machines/{machineId}/models/model_{day}.gdm", 1000), SizeBytes = 1000,
            };
            db.Models.Add(model);
            models.Add(model.Id);
            var generation = Guid.NewGuid();
            generations.Add(generation);
            foreach (string split in new[] { "train", "val", "test" })
                db.Datasets.Add(new DatasetRecord
                {
                    Id = Guid.NewGuid(), MachineId = machineId, DatasetType = split, GenerationId = generation, ModelId = model.Id, Sha256 = "x",
                    FilePath = WriteFile($"machines/{machineId}/datasets/{generation:N}/{split}.parquet", 100), SizeBytes = 100, GeneratedAt = _t0.AddDays(day).AddHours(1),
                });
            db.ValidationReports.Add(new ValidationReportRecord { Id = Guid.NewGuid(), MachineId = machineId, GenerationId = generation, ReportJson = "{}", CreatedAt = _t0.AddDays(day).AddHours(2) });
        }
        db.Datasets.Add(new DatasetRecord
        {
            Id = Guid.NewGuid(), MachineId = machineId, DatasetType = "seed", Sha256 = "x", GeneratedAt = _t0,
            FilePath = WriteFile($"machines/{machineId}/seed/seed.parquet", 500), SizeBytes = 500,
        });
        await db.SaveChangesAsync();
        return (models, generations);
    }

    [Fact]
    public async Task Prune_keeps_the_newest_generations_and_models_and_deletes_the_rest_rows_and_files_together()
    {
        await using var db = await _store.OpenAsync();
        var (models, generations) = await FillAsync(db, "pump_a_001");

        var result = await StoreRetention.PruneAsync(db, _store.Paths, new RetentionOptions { KeepGenerations = 1, KeepModels = 1 }, dryRun: false);

        result.Items.Where(i => i.Kind == StoreRetention.Generation).Select(i => i.Id).Should().BeEquivalentTo(generations.Take(2));
        result.Items.Where(i => i.Kind == StoreRetention.Model).Select(i => i.Id).Should().BeEquivalentTo(models.Take(2));
        result.Bytes.Should().Be(2 * 300 + 2 * 1000);
        db.ChangeTracker.Clear();
        (await db.Models.Select(m => m.Id).ToListAsync()).Should().Equal(models[2]);
        (await db.Datasets.Where(d => d.GenerationId != null).Select(d => d.GenerationId).Distinct().ToListAsync()).Should().Equal(generations[2]);
        (await db.Datasets.CountAsync(d => d.DatasetType == "seed")).Should().Be(1, "seed data is not a generation");
        (await db.ValidationReports.Select(r => r.GenerationId).ToListAsync()).Should().Equal(generations[2]);
        Directory.Exists(_store.Paths.Full($"machines/pump_a_001/datasets/{generations[0]:N}")).Should().BeFalse();
        File.Exists(_store.Paths.Full("machines/pump_a_001/models/model_0.gdm")).Should().BeFalse();
        File.Exists(_store.Paths.Full("machines/pump_a_001/models/model_2.gdm")).Should().BeTrue();
        StoreRetention.DiskUse(_store.Paths, "pump_a_001").Should().Be(1000 + 300 + 500);
    }

    [Fact]
    public async Task A_model_a_kept_generation_was_made_from_and_a_busy_machine_are_never_pruned_and_a_dry_run_deletes_nothing()
    {
        await using var db = await _store.OpenAsync();
        var (models, _) = await FillAsync(db, "pump_a_001");
        await FillAsync(db, "pump_b_002");
        db.Tasks.Add(new TaskRecord { Id = Guid.NewGuid(), TaskId = "t1", MachineId = "pump_b_002", Kind = "generate", Status = TaskStatuses.Started, RequestJson = "{}", CreatedAt = _t0 });
        await db.SaveChangesAsync();
        long before = StoreRetention.DiskUse(_store.Paths, "pump_a_001");

        var dry = await StoreRetention.PruneAsync(db, _store.Paths, new RetentionOptions { KeepGenerations = 3, KeepModels = 1 }, dryRun: true);
        dry.Items.Select(i => i.Id).Should().BeEmpty("every generation is kept, and each needs its model");
        dry.Skipped.Should().ContainSingle().Which.Should().StartWith("pump_b_002");

        var some = await StoreRetention.PruneAsync(db, _store.Paths, new RetentionOptions { KeepGenerations = 2, KeepModels = 1 }, dryRun: true);
        some.Items.Where(i => i.Kind == StoreRetention.Model).Select(i => i.Id).Should().Equal(models[0]);
        StoreRetention.DiskUse(_store.Paths, "pump_a_001").Should().Be(before, "a dry run deletes nothing");
        db.ChangeTracker.Clear();
        (await db.Models.CountAsync()).Should().Be(6);
    }

    [Fact]
    public async Task The_prune_verb_reports_what_it_deleted_and_how_many_bytes_and_without_settings_deletes_nothing()
    {
        await using (var db = await _store.OpenAsync()) await FillAsync(db, "pump_a_001");
        var verbs = new Dictionary<string, Func<CommandArgs, Task<int>>> { ["prune"] = PruneCommand.RunAsync };

        var (code, output) = await RunAsync(verbs, "prune", "--data-dir", _folder.FullPath);
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("Nothing to prune");

        (code, output) = await RunAsync(verbs, "prune", "--data-dir", _folder.FullPath, "--dry-run", "--keep-models", "2", "--keep-generations", "2");
        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("would delete generation").And.Contain("would delete model").And.Contain("Dry run: would delete 1 generation(s) and 1 model(s), 1,300 bytes.");

        (code, output) = await RunAsync(verbs, "prune", "--data-dir", _folder.FullPath, "--keep-models", "2", "--keep-generations", "2");
        output.Should().Contain("Deleted 1 generation(s) and 1 model(s), 1,300 bytes.");
        (code, output) = await RunAsync(verbs, "prune", "--data-dir", _folder.FullPath, "--keep-models", "2", "--keep-generations", "2");
        output.Should().Contain("Deleted 0 generation(s) and 0 model(s), 0 bytes.");

        (code, _) = await RunAsync(verbs, "prune", "--data-dir", _folder.FullPath, "--keep-models", "0");
        code.Should().Be(ExitCodes.Unreadable, "keeping no model is refused");
    }

    private static async Task<(int Code, string Output)> RunAsync(Dictionary<string, Func<CommandArgs, Task<int>>> verbs, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, verbs, output, error);
        return (code, output + error.ToString());
    }
}
