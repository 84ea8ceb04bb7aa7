using GanDashboard.Core.Profiles;
using GanDashboard.Web.Api;
using GanDashboard.Web.Cluster;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Storage;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Quartz;
using Scalar.AspNetCore;
using Microsoft.AspNetCore.DataProtection;
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
        // First of the hosted services: nothing (Data Protection's key ring included) reads the database before it is migrated.
        services.AddHostedService<DatabaseStartup>();
        services.AddGanDashboardServices(builder.Configuration, builder.Environment.ContentRootPath);
        var node = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        bool cluster = builder.Configuration.ClusterDatabase();

        // Start-up: migrate the database, then requeue or close the tasks a restart left behind; Quartz runs queued tasks.
        // In a cluster (PostgreSQL) a stop waits for running jobs: they checkpoint and are handed back to the cluster,
        // and a web node builds the scheduler (to queue work) without starting it (it runs none).
        services.AddHostedService<TaskRecovery>();
        services.AddQuartzHostedService(q =>
        {
            q.WaitForJobsToComplete = cluster;
            q.AutoStart = node.RunsJobs;
        });
        if (cluster) services.AddHostedService(sp => sp.GetRequiredService<ClusterEvents>());
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
        var database = DatabaseSettings.Resolve(storage, paths, configuration);
        var node = services.BindOptions<NodeOptions>(configuration, NodeOptions.Section);
        node.Validate(database.IsPostgres);

        // Storage: the data directory and the database. Pooled: every request and job opens its own short-lived context;
        // reusing them saves building one each time. PostgreSQL has a context type of its own (its migration set) that
        // the app uses as a GanDashboardDb.
        services.AddSingleton(paths);
        services.AddSingleton(database);
        if (database.IsPostgres)
        {
            services.AddPooledDbContextFactory<PostgresGanDashboardDb>(o => o.UseNpgsql(database.ConnectionString));
            services.AddSingleton<IDbContextFactory<GanDashboardDb>, PostgresDbFactory>();
        }
        else
        {
            services.AddPooledDbContextFactory<GanDashboardDb>(o => o.UseSqlite(database.ConnectionString));
        }

        // Long work: task rows in the database, run by Quartz jobs (the scheduler starts only in the host), progress through
        // one notifier. On PostgreSQL the nodes share Quartz's clustered job store, the training slots and the events.
        var work = services.BindOptions<WorkOptions>(configuration, WorkOptions.Section);
        services.AddSingleton<TaskNotifier>();
        services.AddSingleton<TaskProgressSink>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<WorkSlots>();
        services.AddSingleton(new NodeIdentity(node.ResolvedName, database.IsPostgres));
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(2, work.MaxConcurrentTasks));
            if (database.IsPostgres)
            {
                q.UseClusteredStore(database, node);
                q.UseExecutionLimits(l => l.ForGroup(TaskService.TrainingExecutionGroup, Math.Max(1, work.MaxConcurrentTrainings)));
            }
        });
        if (database.IsPostgres)
        {
            services.AddSingleton<ClusterEvents>();
            // Cookies and anti-forgery tokens made by one web node are read by the others.
            services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<GanDashboardDb>>().CreateDbContext());
            services.AddDataProtection().SetApplicationName("GanDashboard").PersistKeysToDbContext<GanDashboardDb>();
        }

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
        if (!app.ServesDashboard())
        {
            // A worker node serves only its health (the API's health route included, for the same probes).
            app.MapGroup("/api/gan").MapGet("/health", WorkflowApi.HealthAsync);
            return app;
        }
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

    /// <summary>False on a worker node, which maps no dashboard and no API.</summary>
    public static bool ServesDashboard(this WebApplication app) =>
        app.Services.GetRequiredService<IOptions<NodeOptions>>().Value.ServesDashboard;

    /// <summary>True when the configured database is PostgreSQL, the database of a cluster (the value is checked when the services are added).</summary>
    private static bool ClusterDatabase(this IConfiguration configuration) =>
        string.Equals(configuration[DatabaseSettings.ProviderKey]?.Trim(), DatabaseSettings.Postgres, StringComparison.OrdinalIgnoreCase)
        || string.Equals(configuration[DatabaseSettings.ProviderKey]?.Trim(), "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Quartz's ADO.NET job store on the app's PostgreSQL database, clustered: its tables are created at start-up when
    /// missing, every node checks in every <see cref="NodeOptions.CheckinInterval"/>, a node silent for two more
    /// intervals is taken for dead and its running tasks are fired again elsewhere (their jobs request recovery), and a
    /// node stopping interrupts its jobs and hands them back instead of finishing them.
    /// </summary>
    private static void UseClusteredStore(this IQuartzBuilder q, DatabaseSettings database, NodeOptions node)
    {
        q.ConfigureScheduler(s =>
        {
            s.InstanceName = "GanDashboard";
            s.InstanceId = node.ResolvedName;
            s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            // An idle node looks for due triggers every check-in interval instead of every 30 s: a recovered task is
            // picked up within seconds even when no scheduling on this node wakes the scheduler.
            s.IdleWaitTime = node.CheckinInterval;
        });
        q.UsePersistentStore(store =>
        {
            store.UsePostgres(database.ConnectionString);
            store.UseSystemTextJsonSerializer();
            store.UseClustering(c =>
            {
                c.CheckinInterval = node.CheckinInterval;
                c.CheckinMisfireThreshold = node.CheckinInterval * 2;
            });
            store.ProvisionSchema();
            // A recovery trigger keeps the fire time of the firing it replaces, so it is usually already "misfired" and
            // only the misfire handler releases it: run that every check-in interval, not every minute.
            store.ConfigureStore(o => o.MisfireHandlerFrequency = node.CheckinInterval);
        });
    }
}

/// <summary>The PostgreSQL context handed out as the <see cref="GanDashboardDb"/> every service asks for.</summary>
internal sealed class PostgresDbFactory(IDbContextFactory<PostgresGanDashboardDb> inner) : IDbContextFactory<GanDashboardDb>
{
    public GanDashboardDb CreateDbContext() => inner.CreateDbContext();

    public async Task<GanDashboardDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
