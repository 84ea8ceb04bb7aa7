using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanDashboard.Core.Profiles;

/// <summary>The one set of JSON settings for profiles: snake_case names, strict numbers, no duplicate keys.</summary>
public static class ProfileJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
        WriteIndented = true,
    };

    public static string Serialize(MachineProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static MachineProfile Deserialize(string json) =>
        JsonSerializer.Deserialize<MachineProfile>(json, Options) ?? throw new JsonException("The profile is null.");
}
