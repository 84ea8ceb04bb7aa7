using System.Globalization;
using System.Security.Claims;
using GanDashboard.Storage;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Audit;

/// <summary>
/// Who acted: the signed-in user (name, role, and the API key id for key requests) or <c>anonymous</c>, and the client
/// address when the action came over HTTP.
/// </summary>
public sealed record AuditActor(string Name, string? Role, string? ApiKeyId, string? Address)
{
    public const string Anonymous = "anonymous";
    /// <summary>The claim an API-key request carries with the key's id (set by the sign-in/keys feature).</summary>
    public const string ApiKeyClaim = GanDashboard.Web.Access.Policies.ApiKeyClaim;

    public static AuditActor From(ClaimsPrincipal? user, string? address) => user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
        ? new(name, user.FindFirst(ClaimTypes.Role)?.Value, user.FindFirst(ApiKeyClaim)?.Value, address)
        : new(Anonymous, null, null, address);
}

/// <summary>The outcome column: what happened to the attempt.</summary>
public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";

    /// <summary><c>succeeded</c> for 2xx/3xx; otherwise <c>failed 409</c> and the like.</summary>
    public static string FromStatus(int status) => status < 400 ? Succeeded : $"failed {status}";

    public static string FromException(Exception e) => e switch
    {
        KeyNotFoundException => "failed 404",
        Access.AccessDeniedException => "failed 403",
        Tasks.WorkflowException => "failed 409",
        Machines.ProfileRejectedException => "failed 422",
        ArgumentException or InvalidDataException => "failed 400",
        _ => "failed",
    };
}

/// <summary>The filters of the audit page and of <c>GET /api/gan/audit</c>; <see cref="Page"/> counts from 1.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, string? Target = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 500;
}

public sealed record AuditEntryView(
    long Id, DateTime At, string Actor, string? Role, string? ApiKeyId, string Action, string? TargetKind, string? TargetId,
    string? Detail, string? ClientAddress, string Outcome)
{
    public static AuditEntryView From(AuditEntryRecord e) =>
        new(e.Id, DateTime.SpecifyKind(e.At, DateTimeKind.Utc), e.Actor, e.Role, e.ApiKeyId, e.Action, e.TargetKind, e.TargetId, e.Detail, e.ClientAddress, e.Outcome);
}

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, int Total, int Page, int PageSize);

/// <summary>
/// The audit trail: writes one row per state-changing action (API filter, dashboard actions, sign-ins) and reads them
/// back filtered and paged, or as CSV. A failure to write is logged, never thrown: the action it describes has already
/// happened (or failed) and the caller must hear about that, not about the trail.
/// </summary>
public sealed class AuditTrail(IDbContextFactory<GanDashboardDb> dbFactory, ILogger<AuditTrail> logger)
{
    private const int MaxDetail = 1000;

    public async Task RecordAsync(AuditActor actor, string action, string? targetKind, string? targetId, string? detail, string outcome)
    {
        var entry = new AuditEntryRecord
        {
            At = DateTime.UtcNow,
            Actor = Clip(actor.Name, 200)!,
            Role = Clip(actor.Role, 40),
            ApiKeyId = Clip(actor.ApiKeyId, 100),
            Action = action,
            TargetKind = targetKind,
            TargetId = Clip(targetId, 200),
            Detail = Clip(detail, MaxDetail),
            ClientAddress = Clip(actor.Address, 100),
            Outcome = outcome,
        };
        try
        {
            // Not the request's token: an aborted request still leaves its trace.
            await using var db = await dbFactory.CreateDbContextAsync();
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            logger.LogError(e, "Audit entry not stored: {Actor} {Action} {TargetKind} {TargetId} {Outcome}", entry.Actor, action, targetKind, targetId, outcome);
        }
    }

    /// <summary>A sign-in attempt (the sign-in page calls this); the user name is recorded as typed, the password never.</summary>
    public Task RecordSignInAsync(string userName, bool succeeded, string? address, string? role) =>
        RecordAsync(new AuditActor(string.IsNullOrWhiteSpace(userName) ? AuditActor.Anonymous : userName.Trim(), succeeded ? role : null, null, address),
            succeeded ? AuditActions.SignedIn : AuditActions.SignInFailed, "user", userName, null, succeeded ? AuditOutcomes.Succeeded : "refused");

    /// <summary>
    /// Runs a dashboard or service action and records it with its outcome, then returns its result or rethrows.
    /// <paramref name="createdId"/> names the target when the action creates it (a draft, a machine).
    /// </summary>
    public async Task<T> AuditAsync<T>(
        AuditActor actor, string action, string targetKind, string? targetId, Func<Task<T>> work, Func<T, string?>? detail = null, Func<T, string?>? createdId = null)
    {
        T result;
        try
        {
            result = await work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordAsync(actor, action, targetKind, targetId, e.Message, AuditOutcomes.FromException(e));
            throw;
        }
        await RecordAsync(actor, action, targetKind, targetId ?? createdId?.Invoke(result), detail?.Invoke(result), AuditOutcomes.Succeeded);
        return result;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        int size = Math.Clamp(query.PageSize, 1, AuditQuery.MaxPageSize), page = Math.Max(1, query.Page);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var filtered = Filter(db.AuditEntries.AsNoTracking(), query);
        int total = await filtered.CountAsync(ct);
        var rows = await filtered.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new AuditPage(rows.Select(AuditEntryView.From).ToList(), total, page, size);
    }

    /// <summary>Every entry the filters select (no paging), newest first, as RFC 4180 CSV.</summary>
    public async Task WriteCsvAsync(AuditQuery query, TextWriter writer, CancellationToken ct = default)
    {
        await writer.WriteAsync("time,actor,role,api_key_id,action,target_kind,target_id,detail,client_address,outcome\r\n");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var e in Filter(db.AuditEntries.AsNoTracking(), query).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            string at = DateTime.SpecifyKind(e.At, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
            await writer.WriteAsync(string.Join(',', new[] { at, e.Actor, e.Role, e.ApiKeyId, e.Action, e.TargetKind, e.TargetId, e.Detail, e.ClientAddress, e.Outcome }.Select(Csv)) + "\r\n");
        }
    }

    private static IQueryable<AuditEntryRecord> Filter(IQueryable<AuditEntryRecord> entries, AuditQuery q)
    {
        if (!string.IsNullOrWhiteSpace(q.Actor)) entries = entries.Where(e => e.Actor == q.Actor.Trim());
        if (!string.IsNullOrWhiteSpace(q.Action)) entries = entries.Where(e => e.Action == q.Action.Trim());
        // A target is an id (machine, task, ...) or a kind ("machine").
        if (!string.IsNullOrWhiteSpace(q.Target)) entries = entries.Where(e => e.TargetId == q.Target.Trim() || e.TargetKind == q.Target.Trim());
        // PostgreSQL's timestamptz takes only UTC DateTimes.
        if (q.From is { } from) entries = entries.Where(e => e.At >= from.UtcDateTime);
        if (q.To is { } to) entries = entries.Where(e => e.At <= to.UtcDateTime);
        return entries;
    }

    /// <summary>
    /// One CSV field: quoted when it holds a comma, quote or line break (quotes doubled). A field starting with = + - @
    /// gets a leading apostrophe so a spreadsheet does not run it as a formula (user-supplied names and messages land here).
    /// </summary>
    public static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? Clip(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
