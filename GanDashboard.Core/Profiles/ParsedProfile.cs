namespace GanDashboard.Core.Profiles;

/// <summary>The file formats a profile can arrive in; the legacy ones become drafts.</summary>
public enum ProfileSourceFormat
{
    Json,
    Yaml,
    Xlsx,
    /// <summary>The original upload format: <c>{machine_id, machine_type, sensors[{min_value, max_value...}], operational_parameters}</c>.</summary>
    LegacyUpload,
    /// <summary>The original stored template: <c>baseline_normal_operation.{group}.{sensor}: {min, typical, max, alarm, trip, unit}</c>.</summary>
    LegacyTemplate,
}

/// <summary>
/// A parsed profile with the format it came in and what the parser had to assume (warnings) or could not
/// find (errors, e.g. a legacy file has no failure modes). Call <see cref="Validate"/> for the full verdict.
/// </summary>
public sealed record ParsedProfile(MachineProfile Profile, ProfileSourceFormat Format, IReadOnlyList<ProfileFinding> Findings)
{
    /// <summary>Converted from a legacy format: the user completes it in the editor before it can become a machine.</summary>
    public bool IsDraft => Format is ProfileSourceFormat.LegacyUpload or ProfileSourceFormat.LegacyTemplate;

    /// <summary>
    /// The parser's findings followed by the validator's. A validator finding on a path the parser already
    /// reported is dropped, so a legacy draft says once, with the legacy-specific fix, what is missing.
    /// </summary>
    public ProfileValidation Validate(ISet<string>? existingMachineIds = null)
    {
        var validation = ProfileValidator.Validate(Profile, existingMachineIds);
        var reported = Findings.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return new ProfileValidation([.. Findings, .. validation.Findings.Where(f => !reported.Contains(f.Path))]);
    }
}
