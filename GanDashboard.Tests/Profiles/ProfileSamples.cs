using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Profiles;

/// <summary>Sample profiles and helpers for comparing and mutating them.</summary>
internal static class ProfileSamples
{
    public static readonly string[] Ids = ["motor_siemens_1la7_001", "pump_ksb_etanorm_002", "cnc_haas_vf2_004"];

    public static MachineProfile Load(string id) => ProfileJson.Deserialize(File.ReadAllText(TestData.SampleProfile(id)));

    public static MachineProfile Motor => Load("motor_siemens_1la7_001");

    /// <summary>The profile as JSON with every number written the same way, so 4.0 and 4 compare equal.</summary>
    public static string Canonical(MachineProfile profile) =>
        Normalize(JsonNode.Parse(ProfileJson.Serialize(profile)))!.ToJsonString();

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };

    public static MachineProfile WithSensor(this MachineProfile p, int index, Func<SensorSpec, SensorSpec> change) =>
        p with { Sensors = [.. p.Sensors!.Select((s, i) => i == index ? change(s) : s)] };

    public static MachineProfile WithMode(this MachineProfile p, int index, Func<OperatingMode, OperatingMode> change) =>
        p with { OperatingModes = [.. p.OperatingModes!.Select((m, i) => i == index ? change(m) : m)] };

    public static MachineProfile WithFailure(this MachineProfile p, int index, Func<FailureMode, FailureMode> change) =>
        p with { FailureModes = [.. p.FailureModes!.Select((m, i) => i == index ? change(m) : m)] };

    public static FailureMode WithEffect(this FailureMode m, int index, Func<Effect, Effect> change) =>
        m with { Effects = [.. m.Effects!.Select((e, i) => i == index ? change(e) : e)] };

    public static byte[] ToXlsx(MachineProfile profile)
    {
        using var stream = new MemoryStream();
        ProfileExcelWriter.Write(profile, stream);
        return stream.ToArray();
    }
}
