using GanDashboard.Core.Profiles;
using GanDashboard.Storage.Access;
using GanDashboard.Storage;
using GanDashboard.Web.Access;
using GanDashboard.Web.Api;
using GanDashboard.Web.Audit;
using GanDashboard.Web.Cluster;
using GanDashboard.Web.Dashboard;
using GanDashboard.Web.Database;
using GanDashboard.Web.Imports;
using GanDashboard.Web.Machines;
using GanDashboard.Web.Metrics;
using GanDashboard.Web.Tasks;
using GanDashboard.Web.Workflow;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OpenTelemetry.Metrics;
using Quartz;
using Scalar.AspNetCore;

namespace GanDashboard.Web;

/// <summary>Every service of the app and its lifetime, in one place.</summary>
public static class GanDashboardServices
{
    /// <summary>The host: the app's services, plus what only a running web server needs (start-up work, the Quartz scheduler, API and UI plumbing).</summary>
    public static WebApplicationBuilder AddGanDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGanDashboardServices(builder.Configuration, builder.Environment.ContentRootPath);
        var node = builder.Configuration.GetNodeOptions();

        // Start-up: migrate the database, then requeue or close the tasks a restart left behind; Quartz runs queued tasks.
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService<TaskRecovery>();
        // A web node only schedules into the shared job store; the worker nodes' schedulers run the jobs.
        // Clustered, a stopping node waits for its jobs: they checkpoint at once on ApplicationStopping and hand their task back to the cluster.
        if (node.RunsJobs) services.AddQuartzHostedService(q => q.WaitForJobsToComplete = node.Clustered);
        // Clustered: stops before Quartz (hosted services stop in reverse order) and waits for the jobs' hand-backs.
        if (node.RunsJobs && node.Clustered) services.AddHostedService(sp => sp.GetRequiredService<RunningJobs>());
        services.AddHostedService<ImportExpiry>();
        if (node.Clustered)
        {
            // Live task events of every node reach every node's dashboard and WebSockets (PostgreSQL LISTEN/NOTIFY).
            services.AddHostedService(sp => sp.GetRequiredService<ClusterEvents>());
            // Cookies and anti-forgery tokens made by one web node are accepted by the others.
            services.AddSingleton<DatabaseXmlRepository>();
            services.AddDataProtection().SetApplicationName("GanDashboard");
            services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
                .Configure<DatabaseXmlRepository>((o, keys) => o.XmlRepository = keys);
        }

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

        // Metrics at /metrics (GanDashboard:Metrics): the app's meter, ASP.NET Core's request rates and latencies, the runtime's.
        var metrics = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        services.AddSingleton(metrics);
        if (metrics.Enabled)
            services.AddOpenTelemetry().WithMetrics(m => m
                .AddMeter(GanDashboardMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Who may do what: sign-in (local accounts, OpenID Connect or none), API keys, the role policies, first-run setup.
        services.AddGanDashboardAccess(builder.Configuration);

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
        string provider = DatabaseProviders.Normalize(storage.DatabaseProvider);
        string connectionString = DatabaseProviders.ConnectionString(provider, configuration.GetConnectionString("GanDashboard"), paths);
        var node = configuration.GetNodeOptions();

        // Storage: the data directory and the database (SQLite, or PostgreSQL shared by the nodes of a cluster).
        services.AddSingleton(paths);
        services.AddSingleton(new DatabaseConnection(provider, connectionString));
        // Pooled: every request and job opens its own short-lived context; reusing them saves building one each time.
        services.AddPooledDbContextFactory<GanDashboardDb>((sp, options) =>
        {
            DatabaseProviders.Configure(options, provider, connectionString);
            options.AddInterceptors(sp.GetRequiredService<DatabaseLatencyInterceptor>());
        });

        // Metrics: the app's instruments (one Meter) and the database latency they time; exported by the host (AddGanDashboard).
        services.AddMetrics();
        services.AddSingleton<GanDashboardMetrics>();
        services.AddSingleton<DatabaseLatencyInterceptor>();

        // Long work: task rows in the database, run by Quartz jobs (the scheduler starts only in the host), progress through one notifier.
        var work = services.BindOptions<WorkOptions>(configuration, WorkOptions.Section);
        services.AddSingleton(node);
        services.AddSingleton<TaskNotifier>();
        services.AddSingleton<TaskProgressSink>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<WorkSlots>();
        services.AddSingleton<ClusterEvents>();
        services.AddSingleton<RunningJobs>();
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(2, work.MaxConcurrentTasks));
            if (node.Clustered)
            {
                // Every node of the cluster shares the scheduler name and the job store; the node name is its instance id.
                q.ConfigureScheduler(s =>
                {
                    s.InstanceName = node.ClusterName;
                    s.InstanceId = node.Name;
                    // An idle node looks for work queued by the other nodes this often (Quartz wakes at once only for its own).
                    s.IdleWaitTime = TimeSpan.FromSeconds(2);
                });
                // A node full of trainings leaves the next training trigger in the store for a node with a free slot,
                // instead of taking it and waiting for its own slot (WorkSlots) with a worker thread held.
                q.UseExecutionLimits(limits => limits.ForGroup(TaskService.TrainingGroup, Math.Max(1, work.MaxConcurrentTrainings), ExecutionLimitScope.Node));
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(connectionString);
                    store.UseSystemTextJsonSerializer();
                    // Quartz creates its own tables when missing (the scheduler is first built in DatabaseStartup, under its lock).
                    store.ProvisionSchema();
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = node.CheckinInterval;
                        c.CheckinMisfireThreshold = node.CheckinInterval;
                    });
                });
            }
            else
            {
                // In memory: Quartz keeps schedulers in a process-wide repository by name, so each host gets a name of its
                // own (tests run several hosts in one process; sharing one scheduler would run one host's jobs in another).
                q.ConfigureScheduler(s => s.InstanceName = $"GanDashboard-{Guid.NewGuid():N}");
            }
        });

        // The workflow: profiles and machines, the manager and its model cache, one handler per task kind.
        var api = services.BindOptions<ApiOptions>(configuration, ApiOptions.Section);
        services.AddSingleton(ProfileLimits.Default with { MaxBytes = api.MaxUploadBytes });
        services.AddSingleton<MachineService>();
        services.AddSingleton<MachineDiskUsage>();
        services.TryAddSingleton(TimeProvider.System);
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
        // Scoped: each circuit's actions are checked against and recorded with that circuit's user.
        services.AddScoped<WorkflowActions>();
        services.AddScoped<DashboardAccess>();

        // Audit trail: API calls (AuditFilter), dashboard actions (WorkflowActions) and sign-ins, one table.
        services.AddSingleton<AuditTrail>();

        // Accounts and keys in the same database (Identity's user manager is scoped; the Access page opens a scope per action).
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<GanDashboardDb>>().CreateDbContext());
        services.AddAccessStore();
        services.AddSingleton<SetupState>();
        services.AddScoped<AccessActions>();

        return services;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus' text format, when enabled; null otherwise. The caller puts its policy on the returned
    /// builder (anonymous only when <see cref="MetricsOptions.AllowAnonymous"/>).
    /// </summary>
    public static IEndpointConventionBuilder? MapGanDashboardMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<MetricsOptions>();
        if (!options.Enabled) return null;
        var endpoint = app.MapPrometheusScrapingEndpoint(options.Path);
        // Marked anonymous, a scraper needs no key or session even under a fallback sign-in policy; otherwise a viewer's.
        return options.AllowAnonymous ? endpoint.AllowAnonymous() : endpoint.RequireAuthorization(Policies.Viewer);
    }

    public static WebApplication MapGanDashboardApi(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapOpenApi().RequireAuthorization(Policies.Viewer);
        app.MapScalarApiReference().RequireAuthorization(Policies.Viewer);
        app.MapAccountEndpoints();
        // Every API route needs at least a viewer; the feature maps raise that for changes (operator) and deletions (admin).
        // The audit filter goes first (outermost): it records the problem results ApiErrorFilter makes of exceptions.
        var api = app.MapGroup("/api/gan").AddEndpointFilter<AuditFilter>().AddEndpointFilter<ApiErrorFilter>().DisableAntiforgery().RequireAuthorization(Policies.Viewer);
        api.MapProfileApi();
        api.MapWorkflowApi();
        api.MapImportApi();
        api.MapAuditApi().RequireAuthorization(Policies.Admin);
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

    /// <summary>The node's options, its role checked against the database provider (a web or worker node needs PostgreSQL).</summary>
    public static NodeOptions GetNodeOptions(this IConfiguration configuration)
    {
        var node = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        string provider = DatabaseProviders.Normalize(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.DatabaseProvider);
        return node with { Role = NodeRoles.Validate(node.Role, provider), Clustered = provider == DatabaseProviders.Postgres };
    }
}
