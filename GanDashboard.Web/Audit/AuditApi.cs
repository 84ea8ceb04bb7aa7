using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GanDashboard.Web.Audit;

/// <summary>
/// The audit trail over the API (administrators only, once roles exist: the caller puts the policy on the returned group):
/// GET /api/gan/audit?actor=&amp;action=&amp;target=&amp;from=&amp;to=&amp;page=&amp;page_size= · GET /api/gan/audit.csv (same filters, every matching entry)
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("");
        audit.MapGet("/audit", ListAsync);
        audit.MapGet("/audit.csv", CsvAsync);
        return audit;
    }

    private static async Task<Ok<AuditPage>> ListAsync(
        string? actor, string? action, string? target, DateTimeOffset? from, DateTimeOffset? to, int? page,
        [FromQuery(Name = "page_size")] int? pageSize, AuditTrail trail, CancellationToken ct) =>
        TypedResults.Ok(await trail.QueryAsync(new AuditQuery(actor, action, target, from, to, page ?? 1, pageSize ?? 50), ct));

    private static async Task CsvAsync(string? actor, string? action, string? target, DateTimeOffset? from, DateTimeOffset? to, HttpResponse response, AuditTrail trail, CancellationToken ct)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(response.Body, new System.Text.UTF8Encoding(false));
        await trail.WriteCsvAsync(new AuditQuery(actor, action, target, from, to), writer, ct);
    }
}
