using System.Text.Json;
using GanDashboard.Core.Quality.RunChecks;

namespace GanDashboard.Core.Seeding;

/// <summary>What a seed file is and how it was made; written next to it as <c>&lt;file&gt;.manifest.json</c>.</summary>
public sealed record SeedManifest(
    string MachineId, string ProfileSha256, ulong Seed, string GeneratorVersion, long Rows, int Runs, double? RulCapOverride,
    IReadOnlyDictionary<string, int> RunsPerFailureMode, string FileSha256, long FileSizeBytes, bool ChecksPassed,
    IReadOnlyList<RunCheck> Checks)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
