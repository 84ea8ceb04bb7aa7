using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using FluentAssertions;
using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using GanDashboard.Web.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GanDashboard.Tests.Access;

/// <summary>Per-user API keys: the principal they carry, revocation and expiry at once, last use written at most once a minute.</summary>
public abstract class ApiKeyTestsBase(AccessFixture access)
{
    private async Task<CreatedKey> NewKeyAsync(string role = Roles.Operator, int? days = null) =>
        await access.AccessAsync(a => a.CreateKeyAsync(AccessFixture.UserOf(role), "test", days));

    private HttpClient ClientWith(string key)
    {
        var client = access.Client();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private async Task<T> DbAsync<T>(Func<GanDashboardDb, Task<T>> run)
    {
        await using var db = await access.App.Services.GetRequiredService<IDbContextFactory<GanDashboardDb>>().CreateDbContextAsync();
        return await run(db);
    }

    [Fact]
    public async Task A_key_authenticates_as_its_user_with_the_role_and_the_key_id()
    {
        var key = await NewKeyAsync(Roles.Operator);
        var http = new DefaultHttpContext { RequestServices = access.App.Services };
        http.Request.Path = "/api/gan/machines";
        http.Request.Headers["X-API-Key"] = key.Key;

        var result = await access.App.Services.GetRequiredService<IAuthenticationService>().AuthenticateAsync(http, AccessServices.SelectScheme);

        result.Succeeded.Should().BeTrue();
        result.Principal!.Identity!.Name.Should().Be(AccessFixture.UserOf(Roles.Operator));
        result.Principal.FindFirstValue(ClaimTypes.Role).Should().Be(Roles.Operator);
        result.Principal.FindFirstValue(Policies.ApiKeyClaim).Should().Be(key.Id);
        key.Key.Should().StartWith($"gdk_{key.Id}_");
    }

    [Fact]
    public async Task Only_the_hash_of_the_secret_is_stored()
    {
        var key = await NewKeyAsync();
        var row = await DbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == key.Id));
        row.SecretHash.Should().HaveLength(64).And.NotContain(ApiKeys.Parse(key.Key)!.Value.Secret);
        row.SecretHash.Should().Be(ApiKeys.Hash(ApiKeys.Parse(key.Key)!.Value.Secret));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_its_next_request()
    {
        var key = await NewKeyAsync();
        using var client = ClientWith(key.Key);
        (await client.GetAsync("/api/gan/machines")).StatusCode.Should().Be(HttpStatusCode.OK);

        await access.AccessAsync(async a => { await a.RevokeKeyAsync(key.Id); return true; });

        var refused = await client.GetAsync("/api/gan/machines");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail.Should().Contain("revoked");
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var key = await NewKeyAsync(days: 1);
        using var client = ClientWith(key.Key);
        (await client.GetAsync("/api/gan/tasks")).StatusCode.Should().Be(HttpStatusCode.OK);

        await DbAsync(db => db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

        (await client.GetAsync("/api/gan/tasks")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_secret_for_a_real_id_is_refused()
    {
        var key = await NewKeyAsync();
        using var client = ClientWith(key.Key[..^4] + "AAAA");
        (await client.GetAsync("/api/gan/tasks")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_a_minute()
    {
        var key = await NewKeyAsync();
        using var client = ClientWith(key.Key);
        Task<DateTime?> LastUsed() => DbAsync(db => db.ApiKeys.Where(k => k.Id == key.Id).Select(k => k.LastUsedAt).SingleAsync());
        (await LastUsed()).Should().BeNull();

        (await client.GetAsync("/api/gan/tasks")).EnsureSuccessStatusCode();
        var first = await LastUsed();
        first.Should().NotBeNull();
        (await client.GetAsync("/api/gan/tasks")).EnsureSuccessStatusCode();
        (await LastUsed()).Should().Be(first, "a second use within the minute writes nothing");

        var earlier = first!.Value - ApiKeys.LastUseInterval - TimeSpan.FromSeconds(1);
        await DbAsync(db => db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, earlier)));
        (await client.GetAsync("/api/gan/tasks")).EnsureSuccessStatusCode();
        (await LastUsed()).Should().BeAfter(earlier.AddSeconds(30));
    }

    [Fact]
    public async Task A_WebSocket_without_a_key_is_refused_and_with_one_is_accepted()
    {
        var ws = access.App.Server.CreateWebSocketClient();
        var refused = () => ws.ConnectAsync(new Uri(access.App.Server.BaseAddress, "/ws/gan/tasks/no-such-task"), CancellationToken.None);
        (await refused.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("401");

        // With a viewer's key in the query (how a browser's WebSocket sends it) the socket gets past sign-in to the task lookup.
        var allowed = () => ws.ConnectAsync(new Uri(access.App.Server.BaseAddress, $"/ws/gan/tasks/no-such-task?api_key={access.Keys[Roles.Viewer]}"), CancellationToken.None);
        (await allowed.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("404");
    }

    [Fact]
    public async Task The_configured_single_key_still_acts_as_admin()
    {
        using var app = new Support.GanDashboardApp(new Dictionary<string, string?>
        {
            [Support.GanDashboardApp.AuthModeKey] = "local", ["GanDashboard:Api:ApiKey"] = "legacy-key-123",
        }, database: access.App.Database.Another());
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", "legacy-key-123");
        // No administrator exists here, so pages go to setup; an API 404 must stay a 404 (bench api relies on it).
        (await client.GetAsync("/api/gan/machines/no_such_machine")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.DeleteAsync("/api/gan/machines/no-such-machine")).StatusCode.Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.Forbidden, "admin gets past the rule to the lookup");
    }
}

public sealed class ApiKeyTests(AccessFixture access) : ApiKeyTestsBase(access), IClassFixture<AccessFixture>;

[Collection(Support.PostgresCollection.Name)]
public sealed class ApiKeyOnPostgresTests(PostgresAccessFixture access) : ApiKeyTestsBase(access), IClassFixture<PostgresAccessFixture>;
