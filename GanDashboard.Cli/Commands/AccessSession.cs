using System.Text.Json;
using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// The store the <c>user</c> and <c>apikey</c> verbs act on (found by <see cref="StoreLocation"/>, as the server finds it)
/// and the same <see cref="AccessAdmin"/> the dashboard uses, so passwords, roles and keys follow one set of rules.
/// </summary>
internal sealed class AccessSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly GanDashboardDb _db;

    private AccessSession(GanDashboardDb db, ServiceProvider services)
    {
        _db = db;
        _services = services;
        _scope = services.CreateAsyncScope();
        Admin = _scope.ServiceProvider.GetRequiredService<AccessAdmin>();
    }

    public AccessAdmin Admin { get; }

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static async Task<AccessSession> OpenAsync(CommandArgs args)
    {
        var location = StoreLocation.Resolve(args.Get("data-dir"), args.Get("provider"), args.Get("connection"), Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        args.Error.WriteLine($"store: {location.Describe()}");
        var db = await location.OpenAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(db);
        services.AddAccessStore();
        return new AccessSession(db, services.BuildServiceProvider());
    }

    /// <summary>Runs a verb; a refused change (unknown user or role, weak password, last admin) is exit code 1 with its message.</summary>
    public static async Task<int> RunAsync(CommandArgs args, Func<AccessSession, Task> verb)
    {
        try
        {
            await using var session = await OpenAsync(args);
            await verb(session);
            return ExitCodes.Ok;
        }
        catch (AccessException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
    }

    /// <summary>The first line of standard input, for a password (never an argument, where `ps` and shell history would show it).</summary>
    public static string ReadPassword(CommandArgs args) =>
        args.Input.ReadLine()?.TrimEnd('\r') is { Length: > 0 } password ? password : throw new AccessException("The password is empty: write it to standard input.");

    /// <summary>SQLite hands dates back without a kind; they are stored in UTC.</summary>
    public static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }
}
