namespace GanDashboard.Web.Access;

/// <summary>
/// Security headers on every response. The content security policy is the narrowest the dashboard runs under (the
/// browser tests fail on any CSP violation): scripts only from this origin; inline styles allowed because MudBlazor
/// and Blazor's reconnect dialog set style attributes; WebSockets to this origin for the circuit; no framing at all.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            // The API reference page (Scalar) runs its own inline scripts; it keeps the other headers.
            if (!http.Request.Path.StartsWithSegments("/scalar")) headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
