using GanDashboard.Core.Profiles;
using GanDashboard.Web.Api;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Quartz;
using Scalar.AspNetCore;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace GanDashboard.Web;

/// <summary>Every service of the app and its lifetime, in one place.</summary>
public static class GanDashboardServices
{
    public static WebApplicationBuilder AddGanDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var paths = new DataPaths(Path.Combine(builder.Environment.ContentRootPath, storage.DataDirectory));

        // Storage: the data directory and the database.
        services.AddSingleton(paths);
        // Pooled: every request and job opens its own short-lived context; reusing them saves building one each time.
        services.AddPooledDbContextFactory<GanDashboardDb>(options => ConfigureDatabase(options, storage, paths, builder.Configuration));
        services.AddHostedService<DatabaseStartup>();

        // Long work: task rows in the database, run by Quartz jobs, progress through one notifier.
        var work = builder.Configuration.GetSection(WorkOptions.Section).Get<WorkOptions>() ?? new WorkOptions();
        services.Configure<WorkOptions>(builder.Configuration.GetSection(WorkOptions.Section));
        services.AddSingleton<TaskNotifier>();
        services.AddSingleton<TaskProgressSink>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<WorkSlots>();
        services.AddHostedService<TaskRecovery>();
        services.AddQuartz(q => q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(2, work.MaxConcurrentTasks)));
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = false);

        // The workflow: profiles and machines, the manager and its model cache, one handler per task kind.
        var api = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        services.Configure<ApiOptions>(builder.Configuration.GetSection(ApiOptions.Section));
        services.AddSingleton(ProfileLimits.Default with { MaxBytes = api.MaxUploadBytes });
        services.AddSingleton<MachineService>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<GanManager>();
        services.AddSingleton<WorkflowRules>();
        services.AddSingleton<BatchService>();
        services.AddSingleton<WorkflowStarter>();
        services.Configure<TrainingSettings>(builder.Configuration.GetSection(TrainingSettings.Section));
        services.AddSingleton<ITaskHandler, SeedTaskHandler>();
        services.AddSingleton<ITaskHandler, TrainTaskHandler>();
        services.AddSingleton<ITaskHandler, GenerateTaskHandler>();
        services.AddSingleton<ITaskHandler, ValidateTaskHandler>();
        services.AddSingleton<ITaskHandler, PipelineTaskHandler>();

        // API: snake_case JSON, problem details, OpenAPI document.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = ApiJson.Options.DefaultIgnoreCondition;
            o.SerializerOptions.NumberHandling = ApiJson.Options.NumberHandling;
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = api.MaxUploadBytes + 64 * 1024);

        // UI.
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        // Dashboard: read models and actions behind the pages (each call opens its own DbContext).
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DatasetExplorer>();
        services.AddSingleton<WorkflowActions>();
        // End of Dashboard block.
        services.AddHealthChecks();

        return builder;
    }

    public static WebApplication MapGanDashboardApi(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthChecks("/healthz");
        app.MapOpenApi();
        app.MapScalarApiReference();
        var api = app.MapGroup("/api/gan").AddEndpointFilter<ApiErrorFilter>().DisableAntiforgery();
        api.MapProfileApi();
        api.MapWorkflowApi();
        app.MapTaskSockets();
        return app;
    }

    private static void ConfigureDatabase(DbContextOptionsBuilder options, StorageOptions storage, DataPaths paths, IConfiguration configuration)
    {
        string? connection = configuration.GetConnectionString("GanDashboard");
        switch (storage.DatabaseProvider.ToLowerInvariant())
        {
            case "sqlite":
                options.UseSqlite(connection ?? $"Data Source={paths.DatabaseFile}");
                break;
            default:
                throw new InvalidOperationException(
                    $"GanDashboard:DatabaseProvider '{storage.DatabaseProvider}' is not supported; use 'sqlite' (see docs/deployment.md for PostgreSQL).");
        }
    }
}
