using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace GanDashboard.Web.Access;

/// <summary>Answers for machines: /api, /ws and /metrics get problem details (never a sign-in redirect).</summary>
public static class AccessProblems
{
    public const string NoCredentials = "Send an API key in the X-API-Key header (api_key in the query for a browser's WebSocket), or sign in.";

    public static bool IsMachinePath(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/ws") || request.Path.StartsWithSegments("/metrics");

    public static async Task WriteAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail };
        var writer = http.RequestServices.GetService<IProblemDetailsService>();
        if (writer is null || !await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
            await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static string Forbidden(System.Security.Claims.ClaimsPrincipal user) =>
        $"Your role ({Policies.RoleOf(user) ?? "none"}) is not allowed to do this; ask an administrator for a higher role.";
}
