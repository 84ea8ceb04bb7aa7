using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GanDashboard.Web.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<GanDashboardDb>
{
    public GanDashboardDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GanDashboardDb>().UseSqlite("Data Source=design-time.db").Options);
}
