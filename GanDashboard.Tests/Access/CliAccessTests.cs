using System.Text.Json;
using FluentAssertions;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Access;

/// <summary>The CLI's <c>user</c> and <c>apikey</c> verbs on a store found by --data-dir: outputs, JSON shapes and refusals.</summary>
public sealed class CliAccessTests : IDisposable
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["user add"] = UserCommands.AddAsync,
        ["user list"] = UserCommands.ListAsync,
        ["user set-role"] = UserCommands.SetRoleAsync,
        ["user set-password"] = UserCommands.SetPasswordAsync,
        ["user remove"] = UserCommands.RemoveAsync,
        ["apikey create"] = ApiKeyCommands.CreateAsync,
        ["apikey list"] = ApiKeyCommands.ListAsync,
        ["apikey revoke"] = ApiKeyCommands.RevokeAsync,
    };

    private readonly TempFolder _data = new();

    public static async Task<(int Code, string Output, string Error)> RunAsync(string dataDirectory, string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CommandLine.RunAsync([.. args, "--data-dir", dataDirectory], Verbs, output, error, new StringReader(input ?? ""));
        return (code, output.ToString(), error.ToString());
    }

    private Task<(int Code, string Output, string Error)> Run(string? input, params string[] args) => RunAsync(_data.FullPath, input, args);

    [Fact]
    public async Task Users_are_added_listed_promoted_and_removed()
    {
        (await Run("admin-password-1\n", "user", "add", "alice", "--role", "admin")).Code.Should().Be(0);
        (await Run("viewer-password-1\n", "user", "add", "bob", "--role", "viewer")).Output.Should().Contain("added bob (viewer)");
        (await Run(null, "user", "set-role", "bob", "operator")).Code.Should().Be(0);

        var list = await Run(null, "user", "list", "--json");
        list.Code.Should().Be(0);
        var users = JsonSerializer.Deserialize<JsonElement>(list.Output).EnumerateArray().ToList();
        users.Select(u => (u.GetProperty("name").GetString(), u.GetProperty("role").GetString())).Should().Equal(("alice", "admin"), ("bob", "operator"));
        users[0].EnumerateObject().Select(p => p.Name).Should().Equal("name", "role", "locked_out", "api_keys");

        (await Run(null, "user", "remove", "bob")).Code.Should().Be(0);
        (await Run(null, "user", "list")).Output.Should().NotContain("bob");
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error()
    {
        (await Run("admin-password-1\n", "user", "add", "alice", "--role", "admin")).Code.Should().Be(0);

        var role = await Run("some-password-1\n", "user", "add", "carol", "--role", "superuser");
        role.Code.Should().Be(1);
        role.Error.Should().Contain("Unknown role 'superuser'").And.Contain("viewer, operator, admin");

        (await Run("", "user", "add", "carol", "--role", "viewer")).Error.Should().Contain("password is empty");
        (await Run("short\n", "user", "add", "carol", "--role", "viewer")).Error.Should().Contain("at least 10 characters");
        (await Run("nodigitshere\n", "user", "add", "carol", "--role", "viewer")).Error.Should().Contain("digit");
        (await Run(null, "user", "set-role", "nobody", "viewer")).Error.Should().Contain("There is no user 'nobody'");
        (await Run(null, "apikey", "create", "--user", "nobody")).Error.Should().Contain("There is no user 'nobody'");
        (await Run(null, "user", "remove", "alice")).Error.Should().Contain("only administrator");
        (await Run(null, "user", "set-role", "alice", "viewer")).Error.Should().Contain("only administrator");
        (await Run(null, "apikey", "revoke", "0000000000000000")).Error.Should().Contain("There is no API key");
    }

    [Fact]
    public async Task Keys_are_created_once_listed_without_the_secret_and_revoked()
    {
        (await Run("operator-password-1\n", "user", "add", "ops", "--role", "operator")).Code.Should().Be(0);

        var created = await Run(null, "apikey", "create", "--user", "ops", "--name", "ci", "--expires", "30", "--json");
        created.Code.Should().Be(0);
        var key = JsonSerializer.Deserialize<JsonElement>(created.Output);
        key.EnumerateObject().Select(p => p.Name).Should().Equal("id", "key", "user", "role", "expires_at");
        key.GetProperty("user").GetString().Should().Be("ops");
        key.GetProperty("role").GetString().Should().Be("operator");
        key.GetProperty("key").GetString().Should().StartWith("gdk_" + key.GetProperty("id").GetString() + "_");
        key.GetProperty("expires_at").GetDateTime().Should().BeCloseTo(DateTime.UtcNow.AddDays(30), TimeSpan.FromMinutes(5));

        var list = await Run(null, "apikey", "list", "--json");
        list.Output.Should().NotContain(key.GetProperty("key").GetString());
        var listed = JsonSerializer.Deserialize<JsonElement>(list.Output).EnumerateArray().Single();
        listed.EnumerateObject().Select(p => p.Name).Should().Equal("id", "name", "user", "role", "created_at", "last_used_at", "expires_at", "revoked");
        listed.GetProperty("name").GetString().Should().Be("ci");
        listed.GetProperty("revoked").GetBoolean().Should().BeFalse();
        listed.GetProperty("last_used_at").ValueKind.Should().Be(JsonValueKind.Null);

        (await Run(null, "apikey", "revoke", key.GetProperty("id").GetString()!)).Code.Should().Be(0);
        var after = JsonSerializer.Deserialize<JsonElement>((await Run(null, "apikey", "list", "--json")).Output).EnumerateArray().Single();
        after.GetProperty("revoked").GetBoolean().Should().BeTrue();

        (await Run(null, "apikey", "create", "--user", "ops", "--expires", "0")).Error.Should().Contain("--expires must be a positive number");
    }

    [Fact]
    public async Task Set_password_replaces_the_password_and_refuses_a_weak_one()
    {
        (await Run("first-password-1\n", "user", "add", "dana", "--role", "viewer")).Code.Should().Be(0);
        (await Run("weak\n", "user", "set-password", "dana")).Code.Should().Be(1);
        (await Run("second-password-2\n", "user", "set-password", "dana")).Output.Should().Contain("password of dana set");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }
}
