using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Storage;
using GanDashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Tests.Operations;

/// <summary>Backup during a running training, restore into an empty directory, and every refusal of a restore.</summary>
public sealed class BackupTests : IDisposable
{
    private const string MachineId = "pump_ksb_etanorm_002";
    private readonly TempFolder _work = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Dispose();
    }

    private static Func<string, string?> NoEnvironment => _ => null;

    [Fact]
    public async Task A_backup_taken_during_a_training_restores_every_registered_file_and_row()
    {
        string archive = _work.File("backup.tar.gz");
        HashSet<Guid> datasetsBefore, modelsBefore;
        HashSet<string> tasksBefore;
        using (var app = new GanDashboardApp())
        using (var client = app.CreateClient())
        {
            await app.CreateSampleMachineAsync(client, MachineId);
            await RunAsync(client, "seed", new { samples = 600, runs = 3, seed = 5 });
            await RunAsync(client, "train", new { epochs = 2, batch_size = 300, mode = "plain" });
            var accepted = await client.PostAsJsonAsync($"/api/gan/machines/{MachineId}/train",
                new { epochs = 400, batch_size = 200, mode = "plain", checkpoint_every = 1, early_stopping_patience = 1000 }, GanDashboardApp.Json);
            accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
            string taskId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
            var store = StoreLocation.Resolve(app.DataDirectory, "sqlite", null, NoEnvironment, "/");
            await using (var db = await store.OpenAsync())
            {
                // Wait until the training has written a checkpoint (a file the live training keeps rewriting).
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (await db.Tasks.AsNoTracking().Where(t => t.TaskId == taskId).Select(t => t.CheckpointPath).SingleAsync() is null)
                {
                    DateTime.UtcNow.Should().BeBefore(deadline, "the training writes a checkpoint every epoch");
                    await Task.Delay(100);
                }
                datasetsBefore = (await db.Datasets.Select(d => d.Id).ToListAsync()).ToHashSet();
                modelsBefore = (await db.Models.Select(m => m.Id).ToListAsync()).ToHashSet();
                tasksBefore = (await db.Tasks.Select(t => t.TaskId).ToListAsync()).ToHashSet();
            }

            var manifest = await StoreBackup.BackupAsync(store, archive);

            (await client.GetFromJsonAsync<JsonElement>($"/api/gan/tasks/{taskId}", GanDashboardApp.Json)).GetProperty("status").GetString()
                .Should().Be("STARTED", "the backup was taken while the training ran");
            manifest.Files.Should().Contain(f => f.Path.Contains("/checkpoints/"));
            (await client.PostAsync($"/api/gan/tasks/{taskId}/cancel", null)).EnsureSuccessStatusCode();
            await GanDashboardApp.WaitForTaskAsync(client, taskId, TimeSpan.FromSeconds(60));
        }

        string restoredDir = Path.Combine(_work.FullPath, "restored");
        var restored = StoreLocation.Resolve(restoredDir, "sqlite", null, NoEnvironment, "/");
        var verbs = new Dictionary<string, Func<CommandArgs, Task<int>>> { ["restore"] = RestoreCommand.RunAsync };
        var (code, output) = await RunCliAsync(verbs, "restore", "--from", archive, "--data-dir", restoredDir);
        code.Should().Be(ExitCodes.Ok, output);

        await using var restoredDb = await restored.OpenAsync();
        (await restoredDb.Datasets.Select(d => d.Id).ToListAsync()).Should().BeEquivalentTo(datasetsBefore);
        (await restoredDb.Models.Select(m => m.Id).ToListAsync()).Should().BeEquivalentTo(modelsBefore);
        (await restoredDb.Tasks.Select(t => t.TaskId).ToListAsync()).Should().BeEquivalentTo(tasksBefore);
        (await restoredDb.Machines.Select(m => m.MachineId).ToListAsync()).Should().Equal(MachineId);
        foreach (var model in await restoredDb.Models.ToListAsync())
            Sha256(restored.Paths.Full(model.ModelPath)).Should().Be(model.Sha256, $"model file {model.ModelPath} comes back whole");
        foreach (var dataset in await restoredDb.Datasets.ToListAsync())
            new FileInfo(restored.Paths.Full(dataset.FilePath)).Length.Should().Be(dataset.SizeBytes, $"dataset file {dataset.FilePath} comes back whole");
        foreach (string checkpoint in (await restoredDb.Tasks.Where(t => t.CheckpointPath != null).Select(t => t.CheckpointPath).ToListAsync()).OfType<string>())
            File.Exists(restored.Paths.Full(checkpoint)).Should().BeTrue();
    }

    [Fact]
    public async Task Restore_refuses_a_non_empty_directory_a_tampered_file_and_a_missing_manifest_and_writes_nothing()
    {
        var source = StoreLocation.Resolve(_work.File("source"), "sqlite", null, NoEnvironment, "/");
        await using (var db = await source.OpenAsync())
        {
            string file = "machines/pump_a_001/models/m.gdm";
            Directory.CreateDirectory(Path.GetDirectoryName(source.Paths.Full(file))!);
            await File.WriteAllBytesAsync(source.Paths.Full(file), [1, 2, 3, 4]);
            db.Models.Add(new ModelRecord { Id = Guid.NewGuid(), MachineId = "pump_a_001", ModelPath = file, Mode = "plain", Sha256 = "x", SizeBytes = 4, TrainedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        string archive = _work.File("good.tar.gz");
        var backupVerbs = new Dictionary<string, Func<CommandArgs, Task<int>>> { ["backup"] = BackupCommand.RunAsync };
        var (code, output) = await RunCliAsync(backupVerbs, "backup", "--out", archive, "--data-dir", source.Paths.Root);
        code.Should().Be(ExitCodes.Ok, output);
        output.Should().Contain("the database and 1 file(s)");

        var nonEmpty = Directory.CreateDirectory(_work.File("busy"));
        await File.WriteAllTextAsync(Path.Combine(nonEmpty.FullName, "keep.txt"), "mine");
        await Refused(archive, nonEmpty.FullName, "is not empty");
        File.ReadAllText(Path.Combine(nonEmpty.FullName, "keep.txt")).Should().Be("mine");

        string tampered = _work.File("tampered.tar.gz");
        await RewriteAsync(archive, tampered, (name, bytes) => name.EndsWith("m.gdm", StringComparison.Ordinal) ? [9, 9, 9, 9] : bytes);
        await Refused(tampered, _work.File("target1"), "does not match its SHA-256");

        string noManifest = _work.File("no-manifest.tar.gz");
        await RewriteAsync(archive, noManifest, (name, bytes) => name == StoreBackup.ManifestEntry ? null : bytes);
        await Refused(noManifest, _work.File("target2"), "has no manifest.json");

        string truncated = _work.File("truncated.tar.gz");
        var whole = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(truncated, whole[..(whole.Length / 2)]);
        await Refused(truncated, _work.File("target3"), "Nothing was restored");

        // Nothing half-written: no target folder, no staging folder left beside them.
        Directory.EnumerateDirectories(_work.FullPath).Select(Path.GetFileName).Should().BeEquivalentTo("source", "busy");

        var restoreVerbs = new Dictionary<string, Func<CommandArgs, Task<int>>> { ["restore"] = RestoreCommand.RunAsync };
        (code, output) = await RunCliAsync(restoreVerbs, "restore", "--from", archive, "--data-dir", _work.File("target4"));
        code.Should().Be(ExitCodes.Ok, output);
        File.ReadAllBytes(Path.Combine(_work.File("target4"), "machines/pump_a_001/models/m.gdm")).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task A_postgres_store_is_refused_with_the_pg_dump_procedure()
    {
        var store = StoreLocation.Resolve(_work.File("pg"), "postgres", "Host=localhost;Database=gd;Username=gd;Password=secret", NoEnvironment, "/");
        var act = () => StoreBackup.BackupAsync(store, _work.File("pg.tar.gz"));
        (await act.Should().ThrowAsync<BackupException>()).Which.Message.Should().Contain("pg_dump").And.Contain("docs/deployment.md");
        File.Exists(_work.File("pg.tar.gz")).Should().BeFalse();
    }

    private static async Task Refused(string archive, string target, string reason)
    {
        bool existed = Directory.Exists(target);
        var act = () => StoreBackup.RestoreAsync(archive, target);
        (await act.Should().ThrowAsync<BackupException>()).Which.Message.Should().Contain(reason);
        if (!existed) Directory.Exists(target).Should().BeFalse("a refused restore creates nothing");
    }

    /// <summary>Copies a backup entry by entry, changing or dropping (null) entries' contents.</summary>
    private static async Task RewriteAsync(string from, string to, Func<string, byte[], byte[]?> change)
    {
        await using var input = File.OpenRead(from);
        await using var gunzip = new GZipStream(input, CompressionMode.Decompress);
        await using var reader = new TarReader(gunzip);
        await using var output = File.Create(to);
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        await using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            using var buffer = new MemoryStream();
            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(buffer);
            if (change(entry.Name, buffer.ToArray()) is not { } bytes) continue;
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(bytes) });
        }
    }

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    private static async Task RunAsync(HttpClient client, string step, object body)
    {
        var accepted = await client.PostAsJsonAsync($"/api/gan/machines/{MachineId}/{step}", body, GanDashboardApp.Json);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        string taskId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(GanDashboardApp.Json)).GetProperty("task_id").GetString()!;
        var task = await GanDashboardApp.WaitForTaskAsync(client, taskId, TimeSpan.FromMinutes(2));
        task.GetProperty("status").GetString().Should().Be("SUCCESS", task.ToString());
    }

    private static async Task<(int Code, string Output)> RunCliAsync(Dictionary<string, Func<CommandArgs, Task<int>>> verbs, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, verbs, output, error);
        return (code, output + error.ToString());
    }
}
