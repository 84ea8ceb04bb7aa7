using System.Text;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Web.Machines;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using GanDashboard.Web.Access;

namespace GanDashboard.Web.Api;

/// <summary>
/// Profile and machine routes:
/// POST /api/gan/profiles/upload · GET /api/gan/profiles/{draftId} · POST /api/gan/profiles/{draftId}/validate ·
/// PUT /api/gan/profiles/{draftId}/edit · GET /api/gan/profiles/template ·
/// POST /api/gan/machines · GET /api/gan/machines · GET|PUT|DELETE /api/gan/machines/{id}
/// </summary>
public static class ProfileApi
{
    public static RouteGroupBuilder MapProfileApi(this RouteGroupBuilder api)
    {
        // Reading is the group's viewer rule; changing needs an operator, deleting a machine an admin.
        var operate = api.MapGroup("").RequireAuthorization(Policies.Operator);
        var admin = api.MapGroup("").RequireAuthorization(Policies.Admin);
        operate.MapPost("/profiles/upload", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads);
        api.MapGet("/profiles/template", Template);
        api.MapGet("/profiles/{draftId:guid}", GetDraftAsync);
        operate.MapPost("/profiles/{draftId:guid}/validate", ValidateDraftAsync);
        operate.MapPut("/profiles/{draftId:guid}/edit", EditDraftAsync);
        operate.MapPost("/machines", CreateMachineAsync);
        api.MapGet("/machines", ListMachinesAsync);
        api.MapGet("/machines/{id}", GetMachineAsync);
        operate.MapPut("/machines/{id}", UpdateMachineAsync);
        admin.MapDelete("/machines/{id}", DeleteMachineAsync);
        return api;
    }

    /// <summary>A multipart form field <c>file</c> (JSON, YAML or Excel) or the plan's JSON body.</summary>
    private static async Task<Created<DraftView>> UploadAsync(HttpRequest request, MachineService machines, IOptions<ApiOptions> options, CancellationToken ct)
    {
        long limit = options.Value.MaxUploadBytes;
        if (request.ContentLength > limit + 64 * 1024)
            throw new ProfileTooLargeException($"The upload is {request.ContentLength:N0} bytes; the limit is {limit:N0} bytes. Fix: split or trim the profile.");
        byte[] content;
        string fileName;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file") ?? throw new ArgumentException("The form has no field 'file'. Fix: send the profile as multipart field 'file'.");
            if (file.Length > limit)
                throw new ProfileTooLargeException($"'{file.FileName}' is {file.Length:N0} bytes; the limit is {limit:N0} bytes.");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
            fileName = file.FileName;
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > limit) throw new ProfileTooLargeException($"The body is over the {limit:N0}-byte limit.");
            content = buffer.ToArray();
            fileName = "upload.json";
        }
        var draft = await machines.UploadAsync(content, fileName, ct);
        return TypedResults.Created($"/api/gan/profiles/{draft.DraftId}", draft);
    }

    /// <summary>The Excel template a user fills in (generated, with one example row per sheet).</summary>
    private static FileContentHttpResult Template()
    {
        using var buffer = new MemoryStream();
        ProfileExcelTemplate.Write(buffer);
        return TypedResults.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "machine-profile-template.xlsx");
    }

    private static async Task<Results<Ok<DraftView>, NotFound>> GetDraftAsync(Guid draftId, MachineService machines, CancellationToken ct) =>
        await machines.GetDraftAsync(draftId, ct) is { } draft ? TypedResults.Ok(draft) : TypedResults.NotFound();

    private static async Task<Ok<DraftView>> ValidateDraftAsync(Guid draftId, MachineService machines, CancellationToken ct) =>
        TypedResults.Ok(await machines.RevalidateDraftAsync(draftId, ct));

    /// <summary>The body is the corrected profile (JSON).</summary>
    private static async Task<Ok<DraftView>> EditDraftAsync(Guid draftId, HttpRequest request, MachineService machines, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string json = await reader.ReadToEndAsync(ct);
        return TypedResults.Ok(await machines.EditDraftAsync(draftId, json, ct));
    }

    private static async Task<Created<MachineView>> CreateMachineAsync(HttpRequest request, MachineService machines, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(ct);
        using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        MachineView machine;
        if (document.RootElement.TryGetProperty("draft_id", out var draftId))
            machine = await machines.CreateFromDraftAsync(draftId.GetGuid(), ct);
        else
        {
            var profileElement = document.RootElement.TryGetProperty("profile", out var p) ? p : document.RootElement;
            var parsed = ProfileParser.Parse(Encoding.UTF8.GetBytes(profileElement.GetRawText()), "machine.json");
            machine = await machines.CreateFromProfileAsync(parsed.Profile, ct);
        }
        return TypedResults.Created($"/api/gan/machines/{machine.MachineId}", machine);
    }

    private static async Task<Ok<IReadOnlyList<MachineView>>> ListMachinesAsync(MachineService machines, CancellationToken ct) =>
        TypedResults.Ok(await machines.ListAsync(ct));

    private static async Task<Results<Ok<MachineView>, NotFound>> GetMachineAsync(string id, MachineService machines, CancellationToken ct) =>
        await machines.GetAsync(ApiIds.Machine(id), ct) is { } machine ? TypedResults.Ok(machine) : TypedResults.NotFound();

    private static async Task<Ok<MachineView>> UpdateMachineAsync(string id, HttpRequest request, MachineService machines, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var parsed = ProfileParser.Parse(Encoding.UTF8.GetBytes(await reader.ReadToEndAsync(ct)), "machine.json");
        return TypedResults.Ok(await machines.UpdateAsync(ApiIds.Machine(id), parsed.Profile, ct));
    }

    private static async Task<NoContent> DeleteMachineAsync(string id, MachineService machines, CancellationToken ct)
    {
        await machines.DeleteAsync(ApiIds.Machine(id), ct);
        return TypedResults.NoContent();
    }
}

/// <summary>Checks ids from URLs before anything builds a path or a query from them.</summary>
public static class ApiIds
{
    public static string Machine(string id) =>
        MachineIds.IsSafe(id) ? id : throw new ArgumentException($"'{id}' is not a valid machine id. {MachineIds.Problem(id)}");
}
