using System.Text;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Storage;
using GanDashboard.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Web.Machines;

/// <summary>
/// The profile workflow of the plan: an upload becomes a draft with its findings; a draft is edited and
/// re-validated; only a draft without errors becomes a machine. Machines are listed, updated
/// (re-validated) and deleted with their files.
/// </summary>
public sealed class MachineService(IDbContextFactory<GanDashboardDb> dbFactory, DataPaths paths, TaskService tasks, ProfileLimits limits)
{
    /// <summary>Parses an uploaded file into a stored draft. Unreadable input throws <see cref="ProfileFormatException"/> and stores nothing.</summary>
    public async Task<DraftView> UploadAsync(byte[] content, string fileName, CancellationToken ct = default)
    {
        var parsed = ProfileParser.Parse(content, Path.GetFileName(fileName), limits);
        var validation = parsed.Validate(await KnownMachineIdsAsync(ct));
        var now = DateTime.UtcNow;
        var draft = new ProfileDraftRecord
        {
            Id = Guid.NewGuid(),
            MachineId = parsed.Profile.MachineId,
            FileName = Path.GetFileName(fileName),
            SourceFormat = parsed.Format.ToString(),
            ProfileJson = ProfileJson.Serialize(parsed.Profile),
            FindingsJson = JsonSerializer.Serialize(validation.Findings.Select(FindingView.From), ApiJson.Options),
            IsValid = validation.IsValid,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ProfileDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        return ToView(draft);
    }

    public async Task<DraftView?> GetDraftAsync(Guid draftId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.ProfileDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == draftId, ct);
        return draft is null ? null : ToView(draft);
    }

    /// <summary>Re-validates a draft as it is (machine ids taken since the upload are noticed).</summary>
    public Task<DraftView> RevalidateDraftAsync(Guid draftId, CancellationToken ct = default) => ChangeDraftAsync(draftId, null, ct);

    /// <summary>Replaces a draft's profile with the edited JSON and re-validates it.</summary>
    public Task<DraftView> EditDraftAsync(Guid draftId, string profileJson, CancellationToken ct = default) => ChangeDraftAsync(draftId, profileJson, ct);

    private async Task<DraftView> ChangeDraftAsync(Guid draftId, string? newJson, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var draft = await db.ProfileDrafts.SingleOrDefaultAsync(d => d.Id == draftId, ct)
            ?? throw new KeyNotFoundException($"No profile draft {draftId}.");
        if (draft.PromotedToMachineId is not null)
            throw new WorkflowException($"This draft already became machine '{draft.PromotedToMachineId}'; edit the machine instead.");
        // Edited text goes through the same parser as an upload, so the same limits and errors apply.
        var profile = newJson is null ? ProfileJson.Deserialize(draft.ProfileJson) : ProfileParser.Parse(Encoding.UTF8.GetBytes(newJson), "edited.json", limits).Profile;
        var validation = ProfileValidator.Validate(profile, await KnownMachineIdsAsync(ct));
        draft.ProfileJson = ProfileJson.Serialize(profile);
        draft.MachineId = profile.MachineId;
        draft.FindingsJson = JsonSerializer.Serialize(validation.Findings.Select(FindingView.From), ApiJson.Options);
        draft.IsValid = validation.IsValid;
        draft.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return ToView(draft);
    }

    /// <summary>Turns a valid draft into a machine. A draft with errors is refused with its findings.</summary>
    public async Task<MachineView> CreateFromDraftAsync(Guid draftId, CancellationToken ct = default)
    {
        var draft = await RevalidateDraftAsync(draftId, ct);
        if (!draft.Valid) throw new ProfileRejectedException(draft.Errors);
        var machine = await CreateAsync(draft.Profile, draft.Warnings, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ProfileDrafts.SingleAsync(d => d.Id == draftId, ct);
        row.PromotedToMachineId = machine.MachineId;
        await db.SaveChangesAsync(ct);
        return machine;
    }

    /// <summary>Creates a machine straight from a profile (the plan's JSON body); it must validate without errors.</summary>
    public async Task<MachineView> CreateFromProfileAsync(MachineProfile profile, CancellationToken ct = default)
    {
        var validation = ProfileValidator.Validate(profile, await KnownMachineIdsAsync(ct));
        if (!validation.IsValid) throw new ProfileRejectedException(validation.Errors.Select(FindingView.From).ToList());
        return await CreateAsync(profile, validation.Warnings.Select(FindingView.From).ToList(), ct);
    }

    private async Task<MachineView> CreateAsync(MachineProfile profile, IReadOnlyList<FindingView> warnings, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var row = new MachineRecord
        {
            Id = Guid.NewGuid(),
            MachineId = profile.MachineId!,
            MachineType = profile.MachineType!,
            Manufacturer = profile.Manufacturer,
            Model = profile.Model,
            ProfileJson = ProfileJson.Serialize(profile),
            SensorCount = profile.Sensors?.Count ?? 0,
            WarningsJson = JsonSerializer.Serialize(warnings, ApiJson.Options),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Machines.Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new WorkflowException($"A machine '{row.MachineId}' already exists; choose another machine_id."); }
        paths.MachineFolder(row.MachineId);
        return ToView(row);
    }

    public async Task<IReadOnlyList<MachineView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Machines.AsNoTracking().OrderBy(m => m.MachineId).ToListAsync(ct);
        return rows.Select(ToView).ToList();
    }

    public async Task<MachineView?> GetAsync(string machineId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Machines.AsNoTracking().SingleOrDefaultAsync(m => m.MachineId == machineId, ct);
        return row is null ? null : ToView(row);
    }

    /// <summary>The stored profile of a machine, or a clear 404-style error.</summary>
    public async Task<MachineProfile> ProfileOfAsync(string machineId, CancellationToken ct = default) =>
        (await GetAsync(machineId, ct))?.Profile ?? throw new KeyNotFoundException($"No machine '{machineId}'.");

    /// <summary>Replaces a machine's profile; it is re-validated and keeps its machine_id.</summary>
    public async Task<MachineView> UpdateAsync(string machineId, MachineProfile profile, CancellationToken ct = default)
    {
        if (profile.MachineId != machineId)
            throw new WorkflowException($"The profile's machine_id '{profile.MachineId}' differs from '{machineId}'; a machine keeps its id.");
        var others = await KnownMachineIdsAsync(ct);
        others.Remove(machineId);
        var validation = ProfileValidator.Validate(profile, others);
        if (!validation.IsValid) throw new ProfileRejectedException(validation.Errors.Select(FindingView.From).ToList());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Machines.SingleOrDefaultAsync(m => m.MachineId == machineId, ct) ?? throw new KeyNotFoundException($"No machine '{machineId}'.");
        row.ProfileJson = ProfileJson.Serialize(profile);
        row.MachineType = profile.MachineType!;
        row.Manufacturer = profile.Manufacturer;
        row.Model = profile.Model;
        row.SensorCount = profile.Sensors?.Count ?? 0;
        row.WarningsJson = JsonSerializer.Serialize(validation.Warnings.Select(FindingView.From), ApiJson.Options);
        row.UpdatedAt = DateTime.UtcNow;
        await db.SaveChangesAsync(ct);
        return ToView(row);
    }

    /// <summary>Deletes a machine with its models, datasets, reports and files; refused while one of its tasks waits or runs.</summary>
    public async Task DeleteAsync(string machineId, CancellationToken ct = default)
    {
        if (await tasks.HasActiveTaskAsync(machineId, ct))
            throw new WorkflowException($"Machine '{machineId}' has a task waiting or running; cancel it or wait for it to end, then delete.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Machines.SingleOrDefaultAsync(m => m.MachineId == machineId, ct) ?? throw new KeyNotFoundException($"No machine '{machineId}'.");
        db.Machines.Remove(row);
        db.Models.RemoveRange(db.Models.Where(m => m.MachineId == machineId));
        db.Datasets.RemoveRange(db.Datasets.Where(d => d.MachineId == machineId));
        db.ValidationReports.RemoveRange(db.ValidationReports.Where(r => r.MachineId == machineId));
        await db.SaveChangesAsync(ct);
        string folder = paths.MachineFolder(machineId);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Ids a new machine may not take (machines, models, datasets), for an editor that validates as the user types.</summary>
    public async Task<ISet<string>> TakenMachineIdsAsync(CancellationToken ct = default) => await KnownMachineIdsAsync(ct);

    private async Task<HashSet<string>> KnownMachineIdsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Machines.Select(m => m.MachineId)
            .Union(db.Models.Select(m => m.MachineId))
            .Union(db.Datasets.Select(d => d.MachineId))
            .ToListAsync(ct);
        return new HashSet<string>(ids, StringComparer.Ordinal);
    }

    private static DraftView ToView(ProfileDraftRecord d)
    {
        var findings = JsonSerializer.Deserialize<List<FindingView>>(d.FindingsJson, ApiJson.Options) ?? [];
        return new DraftView(d.Id, d.MachineId, d.FileName, d.SourceFormat, d.IsValid,
            findings.Where(f => f.Severity == "error").ToList(), findings.Where(f => f.Severity == "warning").ToList(),
            ProfileJson.Deserialize(d.ProfileJson), d.PromotedToMachineId, d.UpdatedAt);
    }

    private static MachineView ToView(MachineRecord m)
    {
        var profile = ProfileJson.Deserialize(m.ProfileJson);
        return new MachineView(m.MachineId, m.MachineType, m.Manufacturer, m.Model, m.SensorCount, profile.FailureModes?.Count ?? 0,
            m.CreatedAt, m.UpdatedAt, profile, JsonSerializer.Deserialize<List<FindingView>>(m.WarningsJson, ApiJson.Options) ?? []);
    }
}

/// <summary>A profile with errors was asked to become (or stay) a machine (422 in the API).</summary>
public sealed class ProfileRejectedException(IReadOnlyList<FindingView> errors)
    : Exception($"The profile has {errors.Count} error(s): " + string.Join("; ", errors.Take(3).Select(e => $"{e.Path}: {e.Message}")))
{
    public IReadOnlyList<FindingView> Errors { get; } = errors;
}
