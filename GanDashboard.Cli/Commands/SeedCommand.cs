using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>seed --profile FILE [--runs 100 | --rows N] [--seed S] [--rul-cap C] --out FILE(.parquet|.csv) [--json]</c>:
/// physics-based run-to-failure seed data for one machine profile, with its run checks.
/// The profile is read by ProfileParser and must pass ProfileValidator. Exit 0 when written (even if a hard
/// check failed: the report says so), 1 for an invalid profile, 2 for unreadable input or a wrong command line.
/// </summary>
public static class SeedCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string profilePath = args.Require("profile");
        string output = args.Require("out");
        var parsed = LoadProfile(profilePath);
        var options = ReadOptions(args, parsed.Profile.MachineId);
        var validation = parsed.Validate();
        if (!validation.IsValid)
        {
            args.Error.WriteLine($"error: the profile is invalid ({validation.Errors.Count} errors):");
            foreach (var finding in validation.Errors) args.Error.WriteLine("  " + finding);
            return ExitCodes.Invalid;
        }
        var profile = parsed.Profile;

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
        catch (InvalidOperationException e)
        {
            // A run that never reaches its failure criterion: the profile's physics, not the input file, is at fault.
            args.Error.WriteLine($"error: the profile cannot be simulated: {e.Message}");
            return ExitCodes.Invalid;
        }
        if (args.Has("json")) args.Output.WriteLine(JsonSerializer.Serialize(ToJson(result), SeedManifest.JsonOptions));
        else WriteSummary(args.Output, result);
        return ExitCodes.Ok;
    }

    /// <summary>--runs (default <see cref="SeedOptions.DefaultRuns"/>) or --rows; the seed defaults to one derived from the machine id.</summary>
    internal static SeedOptions ReadOptions(CommandArgs args, string? machineId)
    {
        bool hasRows = args.Has("rows"), hasRuns = args.Has("runs");
        if (hasRows && hasRuns) throw new UsageException("give --rows or --runs, not both.");
        int? rows = hasRows ? args.GetInt("rows", 0) : null;
        int? runs = hasRuns ? args.GetInt("runs", 0) : hasRows ? null : SeedOptions.DefaultRuns;
        if (rows is <= 0 || runs is <= 0) throw new UsageException("--rows and --runs take a positive whole number.");
        string? seedText = args.Get("seed");
        ulong seed = string.IsNullOrEmpty(machineId) ? 42 : MachineSeeds.For(machineId, MachineSeeds.SeedData);
        if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            throw new UsageException($"--seed takes a non-negative whole number, not '{seedText}'.");
        double? cap = args.Has("rul-cap") ? args.GetDouble("rul-cap", 0) : null;
        return new SeedOptions { Rows = rows, Runs = runs, Seed = seed, RulCapOverride = cap };
    }

    /// <summary>Reads a profile in any format ProfileParser knows; an unreadable file is exit code 2.</summary>
    internal static ParsedProfile LoadProfile(string path)
    {
        try
        {
            return ProfileParser.ParseFile(path);
        }
        catch (ProfileFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
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
