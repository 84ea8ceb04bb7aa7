using GanDashboard.Core.Profiles;
using GanDashboard.Web.Api;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Quartz;
using Scalar.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace GanDashboard.Web;

/// <summary>Every service of the app and its lifetime, in one place.</summary>
public static class GanDashboardServices
{
    /// <summary>The host: the app's services, plus what only a running web server needs (start-up work, the Quartz scheduler, API and UI plumbing).</summary>
    public static WebApplicationBuilder AddGanDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGanDashboardServices(builder.Configuration, builder.Environment.ContentRootPath);

        // Start-up: migrate the database, then requeue or close the tasks a restart left behind; Quartz runs queued tasks.
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<TaskRecovery>();
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = false);
        services.AddHostedService<ImportExpiry>();

        // API: snake_case JSON, problem details, OpenAPI document.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = ApiJson.Options.DefaultIgnoreCondition;
            o.SerializerOptions.NumberHandling = ApiJson.Options.NumberHandling;
        });
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddOptions<Microsoft.AspNetCore.Http.Features.FormOptions>()
            .Configure<IOptions<ApiOptions>>((o, api) => o.MultipartBodyLengthLimit = api.Value.MaxUploadBytes + 64 * 1024);
        services.AddHealthChecks();

        // UI.
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        return builder;
    }

    /// <summary>
    /// Every service the pages, endpoints and jobs use, with its lifetime, and the options they bind. The host adds them
    /// through <see cref="AddGanDashboard"/>; the dashboard's bUnit tests add them directly over a temporary data directory.
    /// Logging and <see cref="IHostApplicationLifetime"/> come from the host (or the test).
    /// </summary>
    public static IServiceCollection AddGanDashboardServices(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var storage = services.BindOptions<StorageOptions>(configuration, StorageOptions.Section);
        var paths = new DataPaths(Path.Combine(contentRoot, storage.DataDirectory));

        // Storage: the data directory and the database.
        services.AddSingleton(paths);
        // Pooled: every request and job opens its own short-lived context; reusing them saves building one each time.
        services.AddPooledDbContextFactory<GanDashboardDb>(options => ConfigureDatabase(options, storage, paths, configuration));

        // Long work: task rows in the database, run by Quartz jobs (the scheduler starts only in the host), progress through one notifier.
        var work = services.BindOptions<WorkOptions>(configuration, WorkOptions.Section);
        services.AddSingleton<TaskNotifier>();
        services.AddSingleton<TaskProgressSink>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<WorkSlots>();
        services.AddQuartz(q => q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(2, work.MaxConcurrentTasks)));

        // The workflow: profiles and machines, the manager and its model cache, one handler per task kind.
        var api = services.BindOptions<ApiOptions>(configuration, ApiOptions.Section);
        services.AddSingleton(ProfileLimits.Default with { MaxBytes = api.MaxUploadBytes });
        services.AddSingleton<MachineService>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<GanManager>();
        services.AddSingleton<WorkflowRules>();
        services.AddSingleton<BatchService>();
        services.AddSingleton<WorkflowStarter>();
        services.Configure<TrainingSettings>(configuration.GetSection(TrainingSettings.Section));
        services.AddSingleton<ITaskHandler, SeedTaskHandler>();
        services.AddSingleton<ITaskHandler, TrainTaskHandler>();
        services.AddSingleton<ITaskHandler, GenerateTaskHandler>();
        services.AddSingleton<ITaskHandler, ValidateTaskHandler>();
        services.AddSingleton<ITaskHandler, PipelineTaskHandler>();

        // Imports of users' own run tables: upload, mapping, preview, confirmation into a machine.
        services.Configure<ImportSettings>(configuration.GetSection(ImportSettings.Section));
        services.AddSingleton<ImportService>();
        services.AddSingleton<ITaskHandler, ImportAnalyseTaskHandler>();
        services.AddSingleton<ITaskHandler, ImportConfirmTaskHandler>();

        // Dashboard: read models and actions behind the pages (each call opens its own DbContext).
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DatasetExplorer>();
        services.AddSingleton<WorkflowActions>();

        return services;
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
        api.MapImportApi();
        app.MapTaskSockets();
        return app;
    }

    /// <summary>Binds <typeparamref name="T"/> to its section for <c>IOptions&lt;T&gt;</c> and returns the values for registrations that need them now.</summary>
    private static T BindOptions<T>(this IServiceCollection services, IConfiguration configuration, string section) where T : class, new()
    {
        var bound = configuration.GetSection(section);
        services.Configure<T>(bound);
        return bound.Get<T>() ?? new T();
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
