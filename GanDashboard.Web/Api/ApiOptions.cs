namespace GanDashboard.Web.Api;

/// <summary>API settings (configuration section <c>GanDashboard:Api</c>).</summary>
public sealed record ApiOptions
{
    public const string Section = "GanDashboard:Api";

    /// <summary>When set, every /api and /ws request must send it in the <c>X-API-Key</c> header (or <c>api_key</c> query for browsers' WebSockets).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Largest profile upload accepted, in bytes (5 MB).</summary>
    public long MaxUploadBytes { get; init; } = 5 * 1024 * 1024;
}
