using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>seed --profile FILE (--rows N | --runs N) [--seed S] [--rul-cap C] --out FILE(.parquet|.csv) [--json]</c>:
/// physics-based run-to-failure seed data for one machine profile, with its run checks.
/// Exit 0 when written (even if a hard check failed: the report says so), 1 for an invalid profile, 2 for unreadable input.
/// </summary>
public static class SeedCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string profilePath = args.Require("profile");
        string output = args.Require("out");
        var options = ReadOptions(args);
        var profile = LoadProfile(profilePath);

        SeedGenerationResult result;
        try
        {
            result = await SeedDatasetWriter.WriteAsync(profile, options, output);
        }
        catch (InvalidProfileException e)
        {
            args.Error.WriteLine($"error: the profile is invalid: {e.Message}");
            return ExitCodes.Invalid;
        }
        if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(ToJson(result), SeedManifest.JsonOptions));
        else WriteSummary(args.Output, result);
        return ExitCodes.Ok;
    }

    internal static SeedOptions ReadOptions(CommandArgs args)
    {
        bool hasRows = args.Has("rows"), hasRuns = args.Has("runs");
        if (hasRows && hasRuns) throw new UsageException("give --rows or --runs, not both.");
        int? rows = hasRows ? args.GetInt("rows", 0) : hasRuns ? null : SeedOptions.DefaultRows;
        int? runs = hasRuns ? args.GetInt("runs", 0) : null;
        if (rows is <= 0 || runs is <= 0) throw new UsageException("--rows and --runs take a positive whole number.");
        string? seedText = args.Get("seed");
        ulong seed = 42;
        if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            throw new UsageException($"--seed takes a non-negative whole number, not '{seedText}'.");
        double? cap = args.Has("rul-cap") ? args.GetDouble("rul-cap", 0) : null;
        return new SeedOptions { Rows = rows, Runs = runs, Seed = seed, RulCapOverride = cap };
    }

    /// <summary>
    /// Reads a JSON profile. Until ProfileParser/ProfileValidator are wired in, only JSON is read and the
    /// generator's own checks (InvalidProfileException) stand in for validation.
    /// </summary>
    internal static MachineProfile LoadProfile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such profile: {path}", path);
        try
        {
            return ProfileJson.Deserialize(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a readable JSON profile: {e.Message}", e);
        }
    }

    private static object ToJson(SeedGenerationResult r) => new
    {
        machine_id = r.MachineId,
        rows = r.Rows,
        runs = r.Runs,
        seconds = Math.Round(r.Seconds, 3),
        file_path = r.FilePath,
        size_bytes = r.SizeBytes,
        manifest_path = r.ManifestPath,
        runs_per_failure_mode = r.RunsPerFailureMode,
        checks_passed = r.Checks.Passed,
        checks = r.Checks.Checks,
    };

    private static void WriteSummary(TextWriter output, SeedGenerationResult r)
    {
        output.WriteLine($"{r.MachineId}: {r.Rows:N0} rows in {r.Runs} runs, {r.SizeBytes / 1048576.0:0.0} MiB, {r.Seconds:0.00} s -> {r.FilePath}");
        output.WriteLine("runs per failure mode: " + string.Join(", ", r.RunsPerFailureMode.Select(p => $"{p.Key} {p.Value}")));
        foreach (var check in r.Checks.Checks) output.WriteLine(FormatCheck(check));
        output.WriteLine(r.Checks.Passed ? "checks: passed" : "checks: FAILED (hard checks above marked FAIL)");
    }

    internal static string FormatCheck(RunCheck c)
    {
        string mark = c.Passed ? "ok  " : c.Hard ? "FAIL" : "warn";
        string threshold = c.Threshold is { } t ? $" (threshold {t:0.###})" : "";
        return $"  {mark} {c.Name}: {c.Value:0.####}{threshold} - {c.Detail}";
    }
}
