using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>
/// The <c>copy-store</c> verb of the web app: copies a SQLite data store into an empty PostgreSQL database, every table,
/// and checks the row counts of both sides, so a single-container install can move to a cluster without losing its
/// history. The files of the data directory stay where they are; the nodes mount that directory.
/// <c>dotnet GanDashboard.Web.dll copy-store --from data/gandashboard.db --to "Host=...;Database=...;Username=...;Password=..."</c>
/// </summary>
public static class StoreCopy
{
    public const string Verb = "copy-store";
    private const int Chunk = 500;

    /// <summary>Runs the verb; returns the process exit code (0 copied and counts equal, 1 refused or failed, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? from = Option(args, "--from"), to = Option(args, "--to");
        if (from is null || to is null)
        {
            error.WriteLine($"usage: {Verb} --from <SQLite file> --to <PostgreSQL connection string>");
            return 2;
        }
        if (!File.Exists(from))
        {
            error.WriteLine($"error: no SQLite database at {from}.");
            return 1;
        }
        try
        {
            var counts = await CopyAsync($"Data Source={from}", to, output);
            bool same = counts.All(c => c.Source == c.Target);
            output.WriteLine(same ? "copied: every table has the same row count on both sides" : "error: row counts differ (see above)");
            return same ? 0 : 1;
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public sealed record TableCount(string Table, int Source, int Target);

    /// <summary>Brings both schemas up to date, refuses a target that holds any row, copies every table and returns the counts.</summary>
    public static async Task<IReadOnlyList<TableCount>> CopyAsync(string sqliteConnection, string postgresConnection, TextWriter output, CancellationToken ct = default)
    {
        await using var source = new GanDashboardDb(new DbContextOptionsBuilder<GanDashboardDb>().UseSqlite(sqliteConnection).Options);
        await source.Database.MigrateAsync(ct);
        await using (var migrate = new PostgresMigrationsDb(new DbContextOptionsBuilder<PostgresMigrationsDb>().UseNpgsql(postgresConnection).Options))
            await migrate.Database.MigrateAsync(ct);
        await using var target = new GanDashboardDb(new DbContextOptionsBuilder<GanDashboardDb>().UseNpgsql(postgresConnection).Options);

        var tables = Tables(source, target);
        foreach (var table in tables)
            if (await table.TargetCount(ct) > 0)
                throw new InvalidOperationException($"the PostgreSQL database is not empty (table {table.Name} has rows); copy into an empty database.");

        var counts = new List<TableCount>();
        foreach (var table in tables)
        {
            await table.Copy(ct);
            var count = new TableCount(table.Name, await table.SourceCount(ct), await table.TargetCount(ct));
            output.WriteLine($"{count.Table,-22} {count.Source,8} -> {count.Target,8}");
            counts.Add(count);
        }
        return counts;
    }

    private sealed record Table(string Name, Func<CancellationToken, Task> Copy, Func<CancellationToken, Task<int>> SourceCount, Func<CancellationToken, Task<int>> TargetCount);

    // Every table of the product. Data Protection keys are not copied: a single node keeps them outside the database,
    // and a cluster makes its own on first start. The roles are not either: each migration set seeds the same three.
    // Accounts come before what points at them (their roles, their API keys).
    private static List<Table> Tables(GanDashboardDb source, GanDashboardDb target) =>
    [
        For(source, target, db => db.Machines, "machine_profiles"),
        For(source, target, db => db.ProfileDrafts, "profile_drafts"),
        For(source, target, db => db.Datasets, "synthetic_datasets"),
        For(source, target, db => db.Models, "tvae_models"),
        For(source, target, db => db.ValidationReports, "validation_reports"),
        For(source, target, db => db.Tasks, "training_tasks"),
        For(source, target, db => db.Imports, "imports"),
        // The audit trail keeps its order but not its ids: PostgreSQL numbers the rows itself, so its identity sequence
        // goes on after them (explicit ids would leave it at 1 and the next entry would collide).
        For(source, target, db => db.AuditEntries, "audit_entries", e => e.Id = 0),
        For(source, target, db => db.Users, "AspNetUsers"),
        For(source, target, db => db.UserRoles, "AspNetUserRoles"),
        For(source, target, db => db.UserClaims, "AspNetUserClaims"),
        For(source, target, db => db.UserLogins, "AspNetUserLogins"),
        For(source, target, db => db.UserTokens, "AspNetUserTokens"),
        For(source, target, db => db.ApiKeys, "api_keys"),
    ];

    private static Table For<T>(GanDashboardDb source, GanDashboardDb target, Func<GanDashboardDb, DbSet<T>> set, string name, Action<T>? adjust = null) where T : class => new(
        name,
        async ct =>
        {
            var rows = set(source).AsNoTracking().AsAsyncEnumerable();
            var batch = new List<T>(Chunk);
            await foreach (var row in rows.WithCancellation(ct))
            {
                adjust?.Invoke(row);
                batch.Add(AsUtc(row));
                if (batch.Count == Chunk) await SaveAsync(target, set, batch, ct);
            }
            await SaveAsync(target, set, batch, ct);
        },
        ct => set(source).CountAsync(ct),
        ct => set(target).CountAsync(ct));

    private static async Task SaveAsync<T>(GanDashboardDb target, Func<GanDashboardDb, DbSet<T>> set, List<T> batch, CancellationToken ct) where T : class
    {
        if (batch.Count == 0) return;
        set(target).AddRange(batch);
        await target.SaveChangesAsync(ct);
        target.ChangeTracker.Clear();
        batch.Clear();
    }

    /// <summary>SQLite hands dates back without a kind; the app writes UTC only, and PostgreSQL's timestamptz takes only UTC.</summary>
    private static T AsUtc<T>(T row)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite && (p.PropertyType == typeof(DateTime) || p.PropertyType == typeof(DateTime?))))
        {
            if (property.GetValue(row) is DateTime value && value.Kind != DateTimeKind.Utc)
                property.SetValue(row, DateTime.SpecifyKind(value, DateTimeKind.Utc));
        }
        return row;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
