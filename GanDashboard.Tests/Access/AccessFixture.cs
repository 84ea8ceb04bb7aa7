using GanDashboard.Storage.Access;
using GanDashboard.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Access;

/// <summary>
/// One app with local sign-in on, shared by an access test class: a user of each role, each with an API key.
/// </summary>
public class AccessFixture : IAsyncLifetime
{
    public const string Password = "correct-horse-42";

    public AccessFixture() : this(TestDatabase.Sqlite) { }

    protected AccessFixture(TestDatabase database) =>
        App = new GanDashboardApp(new Dictionary<string, string?> { [GanDashboardApp.AuthModeKey] = "local" }, database: database);

    public GanDashboardApp App { get; }

    /// <summary>Role -> that role's user's API key.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public static string UserOf(string role) => $"{role}-user";

    public async Task InitializeAsync()
    {
        _ = App.Server; // starts the host: migrations run before the users are added
        foreach (string role in Roles.All)
        {
            await AccessAsync(a => a.AddUserAsync(UserOf(role), role, Password));
            Keys[role] = (await AccessAsync(a => a.CreateKeyAsync(UserOf(role), "test", null))).Key;
        }
    }

    /// <summary>Runs <paramref name="action"/> with the app's own <see cref="AccessAdmin"/> (its own scope).</summary>
    public async Task<T> AccessAsync<T>(Func<AccessAdmin, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AccessAdmin>());
    }

    /// <summary>A client that never follows redirects, with <paramref name="role"/>'s key when given.</summary>
    public HttpClient Client(string? role = null)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null) client.DefaultRequestHeaders.Add("X-API-Key", Keys[role]);
        return client;
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The same users and keys on a PostgreSQL database of their own (dates and case handling differ).</summary>
public sealed class PostgresAccessFixture() : AccessFixture(TestDatabase.NewPostgres());
