using System.Net;
using FluentAssertions;
using GanDashboard.Storage.Access;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GanDashboard.Tests.Access;

/// <summary>
/// Every route the app maps, asked by nobody, a viewer, an operator and an admin. The rule table below is the
/// specification: a route added without a line here fails <see cref="Every_route_has_a_rule"/>.
/// </summary>
public sealed class RouteAccessTests(AccessFixture access, ITestOutputHelper output) : IClassFixture<AccessFixture>
{
    private const string Open = "open";

    /// <summary>"METHOD pattern" -> the lowest role allowed (or <see cref="Open"/>).</summary>
    private static readonly Dictionary<string, string> Rules = new(StringComparer.Ordinal)
    {
        ["GET /healthz"] = Open,
        ["GET /api/gan/health"] = Open,
        ["POST /account/signout"] = Open,
        ["GET /openapi/{documentName}.json"] = Roles.Viewer,
        ["GET /scalar/{documentName?}"] = Roles.Viewer,
        ["GET /ws/gan/tasks/{taskId}"] = Roles.Viewer,
        ["GET /ws/gan/training/{taskId}"] = Roles.Viewer,
        ["POST /api/gan/profiles/upload"] = Roles.Operator,
        ["GET /api/gan/profiles/template"] = Roles.Viewer,
        ["GET /api/gan/profiles/{draftId:guid}"] = Roles.Viewer,
        ["POST /api/gan/profiles/{draftId:guid}/validate"] = Roles.Operator,
        ["PUT /api/gan/profiles/{draftId:guid}/edit"] = Roles.Operator,
        ["POST /api/gan/machines"] = Roles.Operator,
        ["GET /api/gan/machines"] = Roles.Viewer,
        ["GET /api/gan/machines/{id}"] = Roles.Viewer,
        ["PUT /api/gan/machines/{id}"] = Roles.Operator,
        ["DELETE /api/gan/machines/{id}"] = Roles.Admin,
        ["POST /api/gan/machines/{id}/seed"] = Roles.Operator,
        ["POST /api/gan/machines/{id}/train"] = Roles.Operator,
        ["POST /api/gan/machines/{id}/generate"] = Roles.Operator,
        // Starts a validation when the machine has no report yet.
        ["GET /api/gan/machines/{id}/validate"] = Roles.Operator,
        ["POST /api/gan/machines/{id}/validate"] = Roles.Operator,
        ["POST /api/gan/machines/{id}/pipeline"] = Roles.Operator,
        ["GET /api/gan/machines/{id}/status"] = Roles.Viewer,
        ["GET /api/gan/machines/{id}/model"] = Roles.Viewer,
        ["GET /api/gan/machines/{id}/datasets/{split}"] = Roles.Viewer,
        ["GET /api/gan/tasks"] = Roles.Viewer,
        ["GET /api/gan/tasks/{taskId}"] = Roles.Viewer,
        ["POST /api/gan/tasks/{taskId}/cancel"] = Roles.Operator,
        ["POST /api/gan/tasks/{taskId}/pause"] = Roles.Operator,
        ["POST /api/gan/tasks/{taskId}/resume"] = Roles.Operator,
        ["POST /api/gan/tasks/{taskId}/retry"] = Roles.Operator,
        ["POST /api/gan/batch/seed"] = Roles.Operator,
        ["POST /api/gan/batch/train"] = Roles.Operator,
        ["POST /api/gan/batch/generate"] = Roles.Operator,
        ["GET /api/gan/statistics"] = Roles.Viewer,
        ["POST /api/gan/imports"] = Roles.Operator,
        ["GET /api/gan/imports/{importId:guid}"] = Roles.Viewer,
        ["PUT /api/gan/imports/{importId:guid}/mapping"] = Roles.Operator,
        ["POST /api/gan/imports/{importId:guid}/confirm"] = Roles.Operator,
        ["DELETE /api/gan/imports/{importId:guid}"] = Roles.Operator,
        ["POST /api/gan/machines/{id}/imports"] = Roles.Operator,
        ["GET /api/gan/audit"] = Roles.Admin,
        ["GET /api/gan/audit.csv"] = Roles.Admin,
        // Prometheus scrapes with a key unless GanDashboard:Metrics:AllowAnonymous is set.
        ["GET /metrics"] = Roles.Viewer,
    };

    /// <summary>Every route except the pages (covered by the page tests) and the framework's own (Blazor hub, static files).</summary>
    private IReadOnlyList<(string Method, string Pattern)> MappedRoutes() =>
        access.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .Select(e => (Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"], Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/')))
            .Where(e => !e.Pattern.StartsWith("/_blazor") && !e.Pattern.StartsWith("/_framework") && !e.Pattern.StartsWith("/_content") && !IsStaticFile(e.Pattern))
            .SelectMany(e => e.Methods.Where(m => m != "HEAD" && m != "OPTIONS").Select(m => (m, e.Pattern)))
            .Distinct().ToList();

    private static bool IsStaticFile(string pattern) =>
        !pattern.StartsWith("/api/") && ((Path.HasExtension(pattern) && !pattern.Contains('{')) || pattern.Contains(":file}"));

    [Fact]
    public void Every_route_has_a_rule()
    {
        var routes = MappedRoutes();
        foreach (var r in routes) output.WriteLine($"{r.Method} {r.Pattern}");
        routes.Select(r => $"{r.Method} {r.Pattern}").Except(Rules.Keys).Should().BeEmpty("every route needs a line in the rule table");
        Rules.Keys.Except(routes.Select(r => $"{r.Method} {r.Pattern}")).Should().BeEmpty("the rule table names no route that is gone");
    }

    public static TheoryData<string?> Callers => new() { null, Roles.Viewer, Roles.Operator, Roles.Admin };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Each_route_answers_by_role(string? caller)
    {
        using var client = access.Client(caller);
        var wrong = new List<string>();
        foreach (var (method, pattern) in MappedRoutes())
        {
            string rule = Rules[$"{method} {pattern}"];
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(pattern));
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            var status = response.StatusCode;
            bool machine = pattern.StartsWith("/api") || pattern.StartsWith("/ws") || pattern.StartsWith("/metrics");
            string expected = rule == Open ? "not 401/403"
                : caller is null ? machine ? "401" : "302"
                : Roles.Includes(caller, rule) ? "not 401/403" : "403";
            bool ok = expected switch
            {
                "401" => status == HttpStatusCode.Unauthorized && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                "302" => status == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/account/signin"),
                "403" => status == HttpStatusCode.Forbidden && response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
            };
            if (!ok) wrong.Add($"{method} {pattern} as {caller ?? "nobody"}: {(int)status}, expected {expected}");
        }
        wrong.Should().BeEmpty();
    }

    private static string Concrete(string pattern) => pattern
        .Replace("{documentName}", "v1").Replace("{documentName?}", "v1")
        .Replace("{draftId:guid}", Guid.NewGuid().ToString()).Replace("{importId:guid}", Guid.NewGuid().ToString())
        .Replace("{id}", "no-such-machine").Replace("{taskId}", "no-such-task").Replace("{split}", "train");
}
