using System.Text.Json;

namespace GanDashboard.Cli.Commands;

/// <summary><c>user add|list|set-role|set-password|remove</c>: the dashboard's accounts, from a terminal (safe while the server runs).</summary>
public static class UserCommands
{
    /// <summary><c>user add NAME --role viewer|operator|admin</c>, the password on standard input.</summary>
    public static Task<int> AddAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        string name = Name(args);
        string role = args.Require("role");
        var user = await s.Admin.AddUserAsync(name, role, AccessSession.ReadPassword(args));
        args.Output.WriteLine($"added {user.Name} ({user.Role})");
    });

    /// <summary><c>user list [--json]</c>.</summary>
    public static Task<int> ListAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        var users = await s.Admin.ListUsersAsync();
        if (args.Has("json"))
        {
            args.Output.WriteLine(JsonSerializer.Serialize(users.Select(u => new { name = u.Name, role = u.Role, locked_out = u.LockedOut, api_keys = u.Keys }), AccessSession.Json));
            return;
        }
        foreach (var u in users) args.Output.WriteLine($"{u.Name,-24} {u.Role,-9} keys {u.Keys}{(u.LockedOut ? "  LOCKED OUT" : "")}");
    });

    /// <summary><c>user set-role NAME ROLE</c>.</summary>
    public static Task<int> SetRoleAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        if (args.Positional.Count != 2) throw new UsageException("usage: user set-role NAME viewer|operator|admin");
        var user = await s.Admin.SetRoleAsync(args.Positional[0], args.Positional[1]);
        args.Output.WriteLine($"{user.Name} is now {user.Role}");
    });

    /// <summary><c>user set-password NAME</c>, the password on standard input; also lifts a lockout.</summary>
    public static Task<int> SetPasswordAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        string name = Name(args);
        await s.Admin.SetPasswordAsync(name, AccessSession.ReadPassword(args));
        args.Output.WriteLine($"password of {name} set; any lockout is lifted");
    });

    /// <summary><c>user remove NAME</c> (and the user's API keys).</summary>
    public static Task<int> RemoveAsync(CommandArgs args) => AccessSession.RunAsync(args, async s =>
    {
        string name = Name(args);
        await s.Admin.RemoveUserAsync(name);
        args.Output.WriteLine($"removed {name} and the user's API keys");
    });

    private static string Name(CommandArgs args) =>
        args.Positional.Count == 1 ? args.Positional[0] : throw new UsageException("give exactly one user NAME.");
}
