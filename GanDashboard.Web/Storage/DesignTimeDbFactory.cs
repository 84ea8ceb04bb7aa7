using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GanDashboard.Web.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the app.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<GanDashboardDb>
{
    public GanDashboardDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GanDashboardDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// The same for PostgreSQL: <c>dotnet ef migrations add NAME --context PostgresGanDashboardDb --output-dir Storage/Migrations/Postgres</c>.
/// Adding a migration does not connect, so the connection string only names the provider.
/// </summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresGanDashboardDb>
{
    public PostgresGanDashboardDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGanDashboardDb>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
