using System.Text;
using GanDashboard.Core.Profiles;

namespace GanDashboard.Web.Machines;

/// <summary>
/// The profile editor's one source of truth: the profile the form shows and the JSON text beside it, kept in step.
/// A form edit rewrites the JSON from the profile (ProfileJson); a JSON edit goes through the same parser as an upload
/// and, when the text cannot be read, leaves the form as it was and reports where the text breaks. Every change is
/// validated with ProfileValidator, and each finding is placed at the form field its path names.
/// </summary>
public sealed class ProfileEditorState
{
    private readonly ISet<string>? _takenMachineIds;
    private readonly ProfileLimits _limits;

    /// <param name="takenMachineIds">Ids already used by machines, models or datasets (the validator's uniqueness rule).</param>
    /// <param name="uploadFindings">
    /// What the upload reported, shown until the first edit: for a legacy file it holds the converter's own findings
    /// (what the old format lacks, with the fix in its terms), which the validator alone would word generically.
    /// </param>
    public ProfileEditorState(MachineProfile profile, ISet<string>? takenMachineIds = null, ProfileLimits? limits = null,
        IReadOnlyList<ProfileFinding>? uploadFindings = null)
    {
        _takenMachineIds = takenMachineIds;
        _limits = limits ?? ProfileLimits.Default;
        Profile = profile;
        Json = ProfileJson.Serialize(profile);
        if (uploadFindings is null) Validate();
        else Place(new ProfileValidation(uploadFindings));
    }

    public MachineProfile Profile { get; private set; }

    /// <summary>The JSON text as the user sees it; while it cannot be read it differs from <see cref="Profile"/>.</summary>
    public string Json { get; private set; }

    /// <summary>Why the JSON text cannot be read (with line and position), or null when it matches the form.</summary>
    public string? JsonError { get; private set; }

    public ProfileValidation Validation { get; private set; } = new([]);

    /// <summary>Valid and in step: an unreadable JSON text must not be saved as the older profile the form still holds.</summary>
    public bool CanSave => JsonError is null && Validation.IsValid;

    /// <summary>Replaces the profile from the form side: the JSON text is rewritten and a pending JSON error is dropped.</summary>
    public void Edit(Func<MachineProfile, MachineProfile> change)
    {
        Profile = change(Profile);
        Json = ProfileJson.Serialize(Profile);
        JsonError = null;
        Validate();
    }

    /// <summary>Takes edited JSON text: readable text replaces the profile, unreadable text keeps the form and sets <see cref="JsonError"/>.</summary>
    public void EditJson(string json)
    {
        Json = json;
        try
        {
            Profile = ProfileParser.Parse(Encoding.UTF8.GetBytes(json), "edited.json", _limits).Profile;
            JsonError = null;
            Validate();
        }
        catch (ProfileFormatException e)
        {
            JsonError = e.Message;
        }
    }

    public void EditSensor(int index, Func<SensorSpec, SensorSpec> change) =>
        Edit(p => p with { Sensors = Replace(p.Sensors, index, change) });

    public void AddSensor() => Edit(p => p with { Sensors = [.. p.Sensors ?? [], new SensorSpec()] });

    public void RemoveSensor(int index) => Edit(p => p with { Sensors = Without(p.Sensors, index) });

    public void EditOperatingMode(int index, Func<OperatingMode, OperatingMode> change) =>
        Edit(p => p with { OperatingModes = Replace(p.OperatingModes, index, change) });

    public void AddOperatingMode() => Edit(p => p with { OperatingModes = [.. p.OperatingModes ?? [], new OperatingMode()] });

    public void RemoveOperatingMode(int index) => Edit(p => p with { OperatingModes = Without(p.OperatingModes, index) });

    public void EditFailureMode(int index, Func<FailureMode, FailureMode> change) =>
        Edit(p => p with { FailureModes = Replace(p.FailureModes, index, change) });

    public void AddFailureMode() => Edit(p => p with { FailureModes = [.. p.FailureModes ?? [], new FailureMode { Effects = [] }] });

    public void RemoveFailureMode(int index) => Edit(p => p with { FailureModes = Without(p.FailureModes, index) });

    public void EditEffect(int mode, int index, Func<Effect, Effect> change) =>
        EditFailureMode(mode, m => m with { Effects = Replace(m.Effects, index, change) });

    public void AddEffect(int mode) => EditFailureMode(mode, m => m with { Effects = [.. m.Effects ?? [], new Effect()] });

    public void RemoveEffect(int mode, int index) => EditFailureMode(mode, m => m with { Effects = Without(m.Effects, index) });

    /// <summary>The paths of the fields the form shows, in form order; a finding is placed at one of these.</summary>
    public IReadOnlyList<string> FormFields
    {
        get
        {
            var fields = new List<string>(MachineFields);
            for (int i = 0; i < (Profile.Sensors?.Count ?? 0); i++)
                fields.AddRange(SensorFields.Select(f => $"sensors[{i}].{f}"));
            for (int i = 0; i < (Profile.OperatingModes?.Count ?? 0); i++)
                fields.AddRange(OperatingModeFields.Select(f => $"operating_modes[{i}].{f}"));
            for (int i = 0; i < (Profile.FailureModes?.Count ?? 0); i++)
            {
                fields.AddRange(FailureModeFields.Select(f => $"failure_modes[{i}].{f}"));
                for (int j = 0; j < (Profile.FailureModes![i].Effects?.Count ?? 0); j++)
                    fields.AddRange(EffectFields.Select(f => $"failure_modes[{i}].effects[{j}].{f}"));
            }
            return fields;
        }
    }

    public static readonly IReadOnlyList<string> MachineFields =
        ["machine_id", "machine_type", "manufacturer", "model", "description", "sampling.interval_s", "labels.rul_unit", "labels.rul_cap"];

    public static readonly IReadOnlyList<string> SensorFields =
        ["name", "unit", "sensor_type", "direction", "range.min", "range.max", "normal.min", "normal.typical", "normal.max", "warning", "critical", "noise_std"];

    public static readonly IReadOnlyList<string> OperatingModeFields = ["name", "weight", "load_fraction", "mean_dwell_steps"];

    public static readonly IReadOnlyList<string> FailureModeFields =
        ["id", "name", "component", "run_share", "time_to_failure.distribution", "time_to_failure.min", "time_to_failure.max",
         "progression.law", "failure_criterion.sensor", "failure_criterion.level"];

    public static readonly IReadOnlyList<string> EffectFields = ["sensor", "reach", "delta", "relative"];

    /// <summary>
    /// The form field a finding belongs to: its own path when the form shows it, else the first shown field inside it
    /// (<c>sensors[2].normal</c> goes to <c>sensors[2].normal.min</c>), else the nearest shown field of an enclosing
    /// item (<c>sensors[2].load_response.exponent</c> goes to the sensor's first field). Null for a finding about a
    /// whole list or about something the form does not show (it is listed above the form instead).
    /// </summary>
    public string? FieldOf(string findingPath) => FieldOf(findingPath, [.. FormFields]);

    private static string? FieldOf(string findingPath, IReadOnlyList<string> fields)
    {
        for (string? path = findingPath; !string.IsNullOrEmpty(path); path = Parent(path))
        {
            if (fields.Contains(path)) return path;
            string inside = path + ".";
            if (fields.FirstOrDefault(f => f.StartsWith(inside, StringComparison.Ordinal)) is { } first) return first;
        }
        return null;
    }

    /// <summary>The findings placed at one form field, errors first.</summary>
    public IReadOnlyList<ProfileFinding> FindingsAt(string field) => _placed.GetValueOrDefault(field) ?? [];

    /// <summary>The first error at a field, for an input's error text; null when the field has none.</summary>
    public string? ErrorAt(string field) => FindingsAt(field).FirstOrDefault(f => f.Severity == FindingSeverity.Error)?.Message;

    /// <summary>The warnings at a field joined for an input's helper text; null when there are none.</summary>
    public string? WarningAt(string field) =>
        FindingsAt(field).Where(f => f.Severity == FindingSeverity.Warning).Select(f => f.Message).ToList() is { Count: > 0 } w ? string.Join(" ", w) : null;

    /// <summary>The findings no form field shows (a whole list, schema version, unknown fields...).</summary>
    public IReadOnlyList<ProfileFinding> UnplacedFindings { get; private set; } = [];

    // Placing findings walks the form's fields; done once per validation, not once per rendered input.
    private Dictionary<string, List<ProfileFinding>> _placed = [];

    private void Validate() => Place(ProfileValidator.Validate(Profile, _takenMachineIds));

    private void Place(ProfileValidation validation)
    {
        Validation = validation;
        var fields = FormFields.ToList();
        // A finding about two fields (warning above critical) shows at both: the user may have typed in either.
        var byField = Validation.Findings
            .Select(f => (Fields: f.AlsoConcerns.Prepend(f.Path).Select(p => FieldOf(p, fields)).OfType<string>().Distinct().ToList(), Finding: f))
            .ToList();
        _placed = byField.SelectMany(x => x.Fields, (x, field) => (Field: field, x.Finding)).GroupBy(x => x.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Finding).OrderByDescending(f => f.Severity).ToList(), StringComparer.Ordinal);
        UnplacedFindings = [.. byField.Where(x => x.Fields.Count == 0).Select(x => x.Finding)];
    }

    /// <summary>The profile as the Excel layout the template uses, so a form-edited profile can leave as a workbook.</summary>
    public byte[] ToExcel()
    {
        using var buffer = new MemoryStream();
        ProfileExcelWriter.Write(Profile, buffer);
        return buffer.ToArray();
    }

    /// <summary><c>a.b[2].c</c> to <c>a.b[2]</c> to <c>a.b</c> to <c>a</c>; a bare list name has no parent worth a field.</summary>
    private static string? Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.EndsWith(']') ? path.LastIndexOf('[') : -1);
        return cut > 0 ? path[..cut] : null;
    }

    private static List<T> Replace<T>(List<T>? items, int index, Func<T, T> change) =>
        [.. (items ?? []).Select((item, i) => i == index ? change(item) : item)];

    private static List<T> Without<T>(List<T>? items, int index) => [.. (items ?? []).Where((_, i) => i != index)];
}
