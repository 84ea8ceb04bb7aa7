using System.Net;
using FluentAssertions;
using GanDashboard.Storage.Access;
using GanDashboard.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GanDashboard.Tests.Access;

/// <summary>Pages need a session: sign-in with anti-forgery, lockout after repeated failures, the first-run setup.</summary>
public sealed class SignInTests(AccessFixture access) : IClassFixture<AccessFixture>
{
    [Fact]
    public async Task A_page_without_a_session_redirects_to_sign_in_and_an_api_route_answers_401()
    {
        using var client = access.Client();
        var page = await client.GetAsync("/machines");
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().Should().Contain("/account/signin").And.Contain("ReturnUrl=%2Fmachines");
        var api = await client.GetAsync("/api/gan/machines");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Signing_in_opens_the_pages_and_the_api_to_the_session()
    {
        using var client = access.Client();
        var signIn = await AccessForms.SignInAsync(client, AccessFixture.UserOf(Roles.Viewer), AccessFixture.Password);
        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetAsync("/machines")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/gan/machines")).StatusCode.Should().Be(HttpStatusCode.OK);
        // A viewer's session may read but not change: 403 problem details, not a redirect.
        var delete = await client.DeleteAsync("/api/gan/machines/any");
        delete.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        delete.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task The_sign_in_form_is_refused_without_its_anti_forgery_token()
    {
        using var client = access.Client();
        var response = await AccessForms.SignInAsync(client, AccessFixture.UserOf(Roles.Admin), AccessFixture.Password, withToken: false);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/machines")).StatusCode.Should().Be(HttpStatusCode.Redirect, "no session was made");
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_until_an_admin_sets_a_new_password()
    {
        await access.AccessAsync(a => a.AddUserAsync("lock-me", Roles.Operator, AccessFixture.Password));
        using var client = access.Client();
        for (int i = 1; i < AccessRules.MaxFailedSignIns; i++)
            (await (await AccessForms.SignInAsync(client, "lock-me", "wrong-password-1")).Content.ReadAsStringAsync()).Should().Contain("Wrong user name or password");
        (await (await AccessForms.SignInAsync(client, "lock-me", "wrong-password-1")).Content.ReadAsStringAsync()).Should().Contain("locked after 5 failed sign-ins");

        var locked = await AccessForms.SignInAsync(client, "lock-me", AccessFixture.Password);
        (await locked.Content.ReadAsStringAsync()).Should().Contain("locked");
        (await client.GetAsync("/machines")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        await access.AccessAsync(async a => { await a.SetPasswordAsync("lock-me", "a-new-password-7"); return true; });
        (await AccessForms.SignInAsync(client, "lock-me", "a-new-password-7")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetAsync("/machines")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

/// <summary>No administrator yet: every page goes to setup, which makes the first admin and signs them in.</summary>
public sealed class FirstRunTests
{
    private static GanDashboardApp NewApp() => new(new Dictionary<string, string?> { [GanDashboardApp.AuthModeKey] = "local" });

    [Fact]
    public async Task Setup_creates_the_admin_and_ends_itself()
    {
        using var app = NewApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetAsync("/");
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().Should().Be("/setup");
        (await client.GetAsync("/account/signin")).Headers.Location!.ToString().Should().Be("/setup");
        (await client.GetAsync("/api/gan/machines")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "machines are never sent to a page");

        var weak = await AccessForms.PostAsync(client, "/setup", new Dictionary<string, string> { ["Input.UserName"] = "root", ["Input.Password"] = "short", ["Input.Confirm"] = "short" });
        (await weak.Content.ReadAsStringAsync()).Should().Contain("at least 10 characters");

        var created = await AccessForms.PostAsync(client, "/setup", new Dictionary<string, string>
        {
            ["Input.UserName"] = "root", ["Input.Password"] = "first-admin-pass1", ["Input.Confirm"] = "first-admin-pass1",
        });
        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK, "the admin is signed in");
        (await client.DeleteAsync("/api/gan/machines/none")).StatusCode.Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.Forbidden, "the session is an admin's");

        using var stranger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await stranger.GetAsync("/setup")).Headers.Location!.ToString().Should().Contain("/account/signin");
        (await stranger.GetAsync("/")).Headers.Location!.ToString().Should().Contain("/account/signin");
    }

    [Fact]
    public async Task An_admin_made_by_the_cli_ends_setup()
    {
        using var app = NewApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.GetAsync("/")).Headers.Location!.ToString().Should().Be("/setup");

        (await CliAccessTests.RunAsync(app.DataDirectory, "cli-admin-pass1\n", "user", "add", "boss", "--role", "admin")).Code.Should().Be(0);

        (await client.GetAsync("/")).Headers.Location!.ToString().Should().Contain("/account/signin");
    }
}
