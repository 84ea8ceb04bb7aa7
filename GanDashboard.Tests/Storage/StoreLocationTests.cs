using GanDashboard.Storage;
using GanDashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Tests.Storage;

/// <summary>The CLI's administrator verbs find the server's store the way the server does: option, then environment, then default.</summary>
public sealed class StoreLocationTests
{
    private static Func<string, string?> Environment(Dictionary<string, string?> variables) => name => variables.GetValueOrDefault(name);

    [Fact]
    public void An_option_wins_over_the_environment_and_the_environment_over_the_default()
    {
        using var folder = TestData.NewTempFolder();
        var environment = Environment(new() { [StoreLocation.DataDirectoryVariable] = "from-env" });

        StoreLocation.Resolve("from-option", null, null, environment, folder.FullPath).Paths.Root.Should().Be(folder.File("from-option"));
        StoreLocation.Resolve(null, null, null, environment, folder.FullPath).Paths.Root.Should().Be(folder.File("from-env"));
        StoreLocation.Resolve(null, null, null, Environment([]), folder.FullPath).Paths.Root.Should().Be(folder.File("data"));
    }

    [Fact]
    public void Sqlite_uses_the_data_directorys_file_and_postgres_the_connection_string()
    {
        using var folder = TestData.NewTempFolder();
        var sqlite = StoreLocation.Resolve(folder.FullPath, null, null, Environment([]), "/");
        sqlite.Database.ConnectionString.Should().Be($"Data Source={folder.File("gandashboard.db")}");
        sqlite.Describe().Should().Contain(folder.File("gandashboard.db"));

        var postgres = StoreLocation.Resolve(folder.FullPath, null, null, Environment(new()
        {
            [StoreLocation.ProviderVariable] = "postgres",
            [StoreLocation.ConnectionVariable] = "Host=db;Database=gan;Username=gan;Password=secret",
        }), "/");
        postgres.Database.IsPostgres.Should().BeTrue();
        postgres.Describe().Should().Contain("Host=db").And.NotContain("secret");
    }

    [Fact]
    public void Bad_settings_name_the_key_to_fix()
    {
        using var folder = TestData.NewTempFolder();
        var unknown = () => StoreLocation.Resolve(folder.FullPath, "oracle", null, Environment([]), "/");
        unknown.Should().Throw<InvalidOperationException>().WithMessage("*GanDashboard:DatabaseProvider*'oracle'*");
        var noConnection = () => StoreLocation.Resolve(folder.FullPath, "postgres", null, Environment([]), "/");
        noConnection.Should().Throw<InvalidOperationException>().WithMessage("*ConnectionStrings:GanDashboard*");
    }

    [Fact]
    public async Task Opening_a_fresh_sqlite_store_creates_its_schema()
    {
        using var folder = TestData.NewTempFolder();
        var store = StoreLocation.Resolve(folder.FullPath, null, null, Environment([]), "/");
        await using (var db = await store.OpenAsync())
        {
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
            (await db.Machines.CountAsync()).Should().Be(0);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
