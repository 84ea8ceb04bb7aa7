using Bunit;
using Bunit.TestDoubles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using GanDashboard.Web;
using GanDashboard.Web.Machines;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace GanDashboard.Tests.Dashboard;

/// <summary>
/// The one base class of the dashboard's bUnit tests: MudBlazor services, loose JS interop and the app's real
/// services (<see cref="GanDashboardServices.AddGanDashboardServices"/>) over a fresh SQLite file (Quartz is registered but
/// never started, so queued tasks stay PENDING).
/// xunit 2 disposes it through IAsyncLifetime because MudBlazor's services only dispose asynchronously.
/// </summary>
public abstract class DashboardTest : BunitContext, IAsyncLifetime
{
    private readonly TempFolder _folder = TestData.NewTempFolder();

    protected DashboardTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Pages read SQLite and Parquet files; on a busy 2-core machine the first render can take seconds.
        // (bUnit keeps this timeout process-wide; every dashboard test sets the same value.) 30 s: 10 s timed out in a
        // full run on a loaded machine while each test passed alone.
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        // The app's own registrations, with the temporary folder as content root: its data/ folder and SQLite file are this test's.
        Services.AddGanDashboardServices(new ConfigurationBuilder().Build(), _folder.FullPath);
        // What the host would otherwise provide.
        Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        Services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>();
        Services.AddMudServices();
        // The pages act for a signed-in user; tests about roles change it through Authorization.
        Services.AddSingleton(new GanDashboard.Web.Access.AuthOptions());
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("test-admin");
        Authorization.SetRoles(GanDashboard.Storage.Access.Roles.Admin);
    }

    protected Bunit.TestDoubles.BunitAuthorizationContext Authorization { get; }

    protected T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected TaskNotifier Notifier => Get<TaskNotifier>();

    public async Task InitializeAsync()
    {
        await using var db = await Get<IDbContextFactory<GanDashboardDb>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        // Popovers (selects, menus) need their provider in the render tree, as MainLayout has it.
        Render<MudPopoverProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    /// <summary>Creates a machine from one of the sample profiles through the real upload path.</summary>
    protected async Task<string> CreateMachineAsync(string sampleId = "cnc_haas_vf2_004")
    {
        var machines = Get<MachineService>();
        var draft = await machines.UploadAsync(await File.ReadAllBytesAsync(TestData.SampleProfile(sampleId)), sampleId + ".json");
        return (await machines.CreateFromDraftAsync(draft.DraftId)).MachineId;
    }

    /// <summary>Real seed data (a few short runs) for a machine.</summary>
    protected Task<SeedGenerationResponse> SeedAsync(string machineId, int runs = 3) =>
        Get<GanManager>().GenerateSeedDataAsync(machineId, new SeedRequest { Runs = runs, Seed = 7 }, null, CancellationToken.None);

    /// <summary>
    /// A generation and its report without a TVAE: a second, differently seeded simulation stands in as the "train"
    /// split and the real QualityEvaluator judges it against the seed data, so every number on the page is computed.
    /// </summary>
    protected async Task<(Guid GenerationId, QualityReport Report)> AddJudgedGenerationAsync(string machineId)
    {
        var manager = Get<GanManager>();
        var seed = await manager.GenerateSeedDataAsync(machineId, new SeedRequest { Runs = 4, Seed = 1 }, null, CancellationToken.None);
        var other = await manager.GenerateSeedDataAsync(machineId, new SeedRequest { Runs = 4, Seed = 2 }, null, CancellationToken.None);
        var generationId = Guid.NewGuid();
        var paths = Get<DataPaths>();
        await using var db = await Get<IDbContextFactory<GanDashboardDb>>().CreateDbContextAsync();
        var split = await db.Datasets.SingleAsync(d => d.Id == other.DatasetId);
        split.DatasetType = "train";
        split.GenerationId = generationId;
        split.GeneratedAt = DateTime.UtcNow.AddSeconds(1);
        var real = await TableFile.ReadAsync(paths.Full(seed.FilePath));
        var synthetic = await TableFile.ReadAsync(paths.Full(split.FilePath));
        var report = QualityEvaluator.Evaluate(real, synthetic, new QualityOptions { IncludeUsefulness = false, MinimumRuns = 2 });
        db.ValidationReports.Add(new ValidationReportRecord
        {
            Id = Guid.NewGuid(), MachineId = machineId, GenerationId = generationId, Overall = report.Overall ?? 0, Passed = report.Passed,
            ReportJson = QualityJson.Serialize(report), CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return (generationId, report);
    }

    /// <summary>Stores a task row as a running task would have it, without running anything.</summary>
    protected async Task<TaskRecord> AddTaskAsync(string machineId, string kind, string status, string? batchId = null)
    {
        var task = new TaskRecord
        {
            Id = Guid.NewGuid(), TaskId = Guid.NewGuid().ToString(), MachineId = machineId, Kind = kind, Status = status,
            RequestJson = "{}", BatchId = batchId, CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        await using var db = await Get<IDbContextFactory<GanDashboardDb>>().CreateDbContextAsync();
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task;
    }

    protected static TaskEvent Event(TaskRecord task, string type, string status, double percent = 0) => new()
    {
        Type = type, TaskId = task.TaskId, MachineId = task.MachineId, Kind = task.Kind, Status = status, ProgressPercent = percent,
        BatchId = task.BatchId, Message = type,
    };
}
