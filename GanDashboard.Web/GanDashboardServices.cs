using GanDashboard.Web.Storage;
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
        services.AddDbContextFactory<GanDashboardDb>(options => ConfigureDatabase(options, storage, paths, builder.Configuration));
        services.AddHostedService<DatabaseStartup>();

        // UI.
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHealthChecks();

        return builder;
    }

    public static WebApplication MapGanDashboardApi(this WebApplication app)
    {
        app.MapHealthChecks("/healthz");
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
