using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Api;

/// <summary>When an API key is configured, /api and /ws requests must carry it (header X-API-Key, or api_key in the query for WebSockets).</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        string? expected = options.Value.ApiKey;
        var path = context.Request.Path;
        bool guarded = path.StartsWithSegments("/api") || path.StartsWithSegments("/ws");
        if (string.IsNullOrEmpty(expected) || !guarded || path.StartsWithSegments("/api/gan/health"))
        {
            await next(context);
            return;
        }
        string? given = context.Request.Headers["X-API-Key"].FirstOrDefault() ?? context.Request.Query["api_key"].FirstOrDefault();
        if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { type = "about:blank", title = "Unauthorized", status = 401, detail = "Send the API key in the X-API-Key header." });
            return;
        }
        await next(context);
    }
}
