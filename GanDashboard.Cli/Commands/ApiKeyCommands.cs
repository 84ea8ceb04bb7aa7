using System.Text.Json;

namespace GanDashboard.Cli.Commands;

/// <summary><c>apikey create|list|revoke</c>: per-user API keys, from a terminal (safe while the server runs).</summary>
public static class ApiKeyCommands
{
    /// <summary><c>apikey create --user NAME [--name TEXT] [--expires DAYS] [--json]</c>: prints the key once.</summary>
    public static Task<int> CreateAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        string user = args.Require("user");
        int? days = args.Has("expires") ? args.GetInt("expires", 0) : null;
        var key = await s.Admin.CreateKeyAsync(user, args.Get("name"), days);
        if (args.Has("json"))
        {
            args.Output.WriteLine(JsonSerializer.Serialize(
                new { id = key.Id, key = key.Key, user = key.User, role = key.Role, expires_at = AccessSession.Utc(key.ExpiresAt) }, AccessSession.Json));
            return;
        }
        args.Output.WriteLine(key.Key);
        args.Error.WriteLine($"key {key.Id} for {key.User} ({key.Role}){(key.ExpiresAt is { } e ? $", expires {e:yyyy-MM-dd HH:mm} UTC" : "")}; it is shown only now.");
    });

    /// <summary><c>apikey list [--json]</c>: never the key itself.</summary>
    public static Task<int> ListAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        var keys = await s.Admin.ListKeysAsync();
        if (args.Has("json"))
        {
            args.Output.WriteLine(JsonSerializer.Serialize(keys.Select(k => new
            {
                id = k.Id, name = k.Name, user = k.User, role = k.Role, created_at = AccessSession.Utc(k.CreatedAt),
                last_used_at = AccessSession.Utc(k.LastUsedAt), expires_at = AccessSession.Utc(k.ExpiresAt), revoked = k.Revoked,
            }), AccessSession.Json));
            return;
        }
        foreach (var k in keys)
            args.Output.WriteLine($"{k.Id}  {k.User,-20} {k.Role,-9} {(k.Revoked ? "revoked" : "active"),-8} last used {k.LastUsedAt?.ToString("yyyy-MM-dd HH:mm") ?? "never"}  {k.Name}");
    });

    /// <summary><c>apikey revoke ID</c>: refused from the next request on.</summary>
    public static Task<int> RevokeAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        if (args.Positional.Count != 1) throw new UsageException("usage: apikey revoke ID");
        await s.Admin.RevokeKeyAsync(args.Positional[0]);
        args.Output.WriteLine($"revoked {args.Positional[0]}");
    });
}
