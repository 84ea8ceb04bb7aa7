using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace GanDashboard.Web.Access;

/// <summary>Requests per minute allowed (configuration section <c>GanDashboard:RateLimits</c>), per signed-in user or else per address.</summary>
public sealed record RateLimitOptions
{
    public const string Section = "GanDashboard:RateLimits";

    /// <summary>Sign-in form posts per address: slows password guessing across accounts (lockout covers one account).</summary>
    public int SignInPerMinute { get; init; } = 10;
    /// <summary>Profile and data uploads through the API.</summary>
    public int UploadsPerMinute { get; init; } = 30;
    /// <summary>Task starts (single and batch) through the API.</summary>
    public int TaskStartsPerMinute { get; init; } = 120;
}

/// <summary>ASP.NET Core's rate limiter on sign-in, uploads and task starts; a refusal is 429 problem details with Retry-After.</summary>
public static class RateLimits
{
    public const string SignIn = "signin";
    public const string Uploads = "uploads";
    public const string TaskStarts = "task-starts";

    public static IServiceCollection AddGanDashboardRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (ctx, ct) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await AccessProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests of this kind in the last minute; wait and try again.");
            };
            // Only the form post counts for sign-in: showing the page is free.
            o.AddPolicy(SignIn, http => HttpMethods.IsPost(http.Request.Method)
                ? PerMinute($"signin:{Address(http)}", limits.SignInPerMinute)
                : RateLimitPartition.GetNoLimiter("signin-page"));
            o.AddPolicy(Uploads, http => PerMinute($"uploads:{Caller(http)}", limits.UploadsPerMinute));
            o.AddPolicy(TaskStarts, http => PerMinute($"starts:{Caller(http)}", limits.TaskStartsPerMinute));
        });

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        });

    private static string Caller(HttpContext http) => http.User.Identity?.IsAuthenticated == true ? $"user:{http.User.Identity.Name}" : Address(http);

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
