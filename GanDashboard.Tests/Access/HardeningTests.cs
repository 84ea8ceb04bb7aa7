using System.Net;
using FluentAssertions;
using GanDashboard.Tests.Support;
using GanDashboard.Web.Access;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GanDashboard.Tests.Access;

/// <summary>Security headers, rate limits with 429 problem details, and the sign-in settings checked at start.</summary>
public sealed class HardeningTests
{
    [Theory]
    [InlineData("/account/signin")]
    [InlineData("/api/gan/machines")]
    [InlineData("/healthz")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?> { [GanDashboardApp.AuthModeKey] = "local" });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("frame-ancestors 'none'").And.Contain("script-src 'self'").And.NotContain("unsafe-eval");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("strict-origin-when-cross-origin");
    }

    [Fact]
    public async Task Sign_in_posts_and_task_starts_over_the_limit_get_429_problem_details()
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?>
        {
            [GanDashboardApp.AuthModeKey] = "none",
            ["GanDashboard:RateLimits:SignInPerMinute"] = "2",
            ["GanDashboard:RateLimits:TaskStartsPerMinute"] = "2",
        });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
            codes.Add((await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = "x" }))).StatusCode);
        codes[2].Should().Be(HttpStatusCode.TooManyRequests);
        codes.Take(2).Should().NotContain(HttpStatusCode.TooManyRequests);
        (await client.GetAsync("/account/signin")).StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests, "showing the form is not limited");

        HttpResponseMessage last = null!;
        for (int i = 0; i < 3; i++) last = await client.PostAsync("/api/gan/machines/no-such-machine/seed", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        last.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        last.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        last.Headers.Contains("Retry-After").Should().BeTrue();
    }

    [Theory]
    [InlineData(null, "GanDashboard:Auth:Oidc:Authority is required")]
    [InlineData("http://idp.example.com", "GanDashboard:Auth:Oidc:Authority must be an absolute https URL")]
    public void Oidc_mode_names_the_missing_or_wrong_setting(string? authority, string message)
    {
        using var app = new GanDashboardApp(new Dictionary<string, string?>
        {
            [GanDashboardApp.AuthModeKey] = "oidc", ["GanDashboard:Auth:Oidc:Authority"] = authority, ["GanDashboard:Auth:Oidc:ClientId"] = "dashboard",
        });
        var start = () => app.Server;
        start.Should().Throw<InvalidOperationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Oidc_role_map_values_must_be_roles_and_an_unknown_mode_is_refused()
    {
        var settings = new OidcSettings { Authority = "https://idp.example.com", ClientId = "dashboard", RoleMap = new() { ["ops"] = "superuser" } };
        settings.Invoking(s => s.Validated()).Should().Throw<InvalidOperationException>().WithMessage("*GanDashboard:Auth:Oidc:RoleMap:ops*superuser*");
        (settings with { RoleMap = new() { ["ops"] = "operator" } }).Validated().Should().NotBeNull();
        new AuthOptions { Mode = "open" }.Invoking(o => o.ValidatedMode()).Should().Throw<InvalidOperationException>().WithMessage("GanDashboard:Auth:Mode is 'open'*");
    }

    [Fact]
    public async Task Mode_none_lets_everyone_act_as_admin_and_says_so_on_every_page()
    {
        using var app = new GanDashboardApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await client.DeleteAsync("/api/gan/machines/none")).StatusCode.Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.Forbidden, "admin passes the rule");
        (await client.GetStringAsync("/machines")).Should().Contain("Sign-in is off");
    }
}
