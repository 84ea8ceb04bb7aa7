using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GanDashboard.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<GanDashboardDb>
{
    public GanDashboardDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GanDashboardDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresMigrationsDb</c> build PostgreSQL's migration set (no server needed).</summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresMigrationsDb>
{
    public PostgresMigrationsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMigrationsDb>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
