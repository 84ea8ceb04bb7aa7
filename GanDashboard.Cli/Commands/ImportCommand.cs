using System.Text.Json;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>import --data FILE [--run-id COL|none] [--order COL|none] [--sensors COL,..] [--context COL,..] [--labels COL,..] [--drop COL,..]
/// [--censored COL] [--rul-cap N] [--missing refuse|drop|interpolate] [--machine-id ID] [--max-mb 500]
/// --out SEED.parquet|.csv --profile-out PROFILE.json [--json]</c>: turns a table of runs into seed data and an
/// inferred profile, printing what it detected. Exit 1 when the file cannot be imported (each problem names the
/// column or line and the fix).
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string data = args.Require("data");
        string output = args.Require("out");
        string profileOut = args.Require("profile-out");
        if (!TableFile.IsSupported(output)) throw new UsageException($"--out must end in .csv or .parquet, not '{output}'.");
        if (!profileOut.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--profile-out must end in .json, not '{profileOut}'.");
        var options = OptionsFrom(args);
        bool json = args.Has("json");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ImportResult result;
        try
        {
            result = await TableImporter.ImportAsync(data, options, output);
        }
        catch (ImportException e)
        {
            if (json) args.Output.WriteLine(JsonSerializer.Serialize(new { imported = false, problems = e.Problems }, ProfileJson.Options));
            else foreach (var problem in e.Problems) args.Error.WriteLine($"error: {problem}");
            return ExitCodes.Invalid;
        }
        await TableFile.WriteAtomicallyAsync(profileOut, s => JsonSerializer.SerializeAsync(s, result.Profile, ProfileJson.Options));
        double seconds = clock.Elapsed.TotalSeconds;
        if (json)
        {
            args.Output.WriteLine(JsonSerializer.Serialize(new
            {
                imported = true, seed = output, profile = profileOut, machine_id = result.Profile.MachineId, seconds = Math.Round(seconds, 3),
                mapping = result.Mapping, preview = result.Preview,
            }, ProfileJson.Options));
            return ExitCodes.Ok;
        }
        var m = result.Mapping;
        var p = result.Preview;
        args.Output.WriteLine($"Read {p.SourceFile} ({p.Layout}): {p.Rows} rows in {p.Runs} runs ({p.CensoredRuns} censored), lengths {p.MinRunLength}-{p.MaxRunLength} (median {p.MedianRunLength}).");
        args.Output.WriteLine($"  run id   {m.RunIdColumn ?? "(one run per file)"}");
        args.Output.WriteLine($"  order    {m.OrderColumn ?? "(file order)"}{(m.OrderKind is { } k ? $" ({k})" : "")}");
        args.Output.WriteLine($"  sensors  {string.Join(", ", m.Sensors)}");
        args.Output.WriteLine($"  context  {(m.Context.Count > 0 ? string.Join(", ", m.Context) : "-")}");
        args.Output.WriteLine($"  labels   {(m.Labels.Count > 0 ? string.Join(", ", m.Labels) : "-")}{(m.FailureModeColumn is { } f ? $" (failure mode: {f})" : "")}");
        args.Output.WriteLine($"  constant {(m.Constants.Count > 0 ? string.Join(", ", m.Constants.Select(c => $"{c.Key}={c.Value}")) : "-")}");
        args.Output.WriteLine($"  dropped  {(m.Dropped.Count > 0 ? string.Join("; ", m.Dropped.Select(d => $"{d.Column} ({d.Reason})")) : "-")}");
        if (m.CensoredColumn is { } c) args.Output.WriteLine($"  censored {c}");
        args.Output.WriteLine($"  rul cap  {p.RulCap} {result.Profile.Labels!.RulUnit}");
        foreach (string notice in m.Notices) args.Output.WriteLine($"note: {notice}");
        args.Output.WriteLine($"Wrote {output} and {profileOut} (machine {result.Profile.MachineId}) in {seconds:0.00} s.");
        return ExitCodes.Ok;
    }

    internal static ImportOptions OptionsFrom(CommandArgs args)
    {
        var missing = args.Get("missing") switch
        {
            null or "refuse" => MissingValues.Refuse,
            "drop" => MissingValues.Drop,
            "interpolate" => MissingValues.Interpolate,
            var other => throw new UsageException($"--missing takes refuse, drop or interpolate, not '{other}'."),
        };
        double? cap = args.Get("rul-cap") is { } text
            ? double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v > 0 ? v : throw new UsageException($"--rul-cap takes a positive number, not '{text}'.")
            : null;
        return new ImportOptions
        {
            RunId = args.Get("run-id"),
            Order = args.Get("order"),
            Sensors = List(args, "sensors"),
            Context = List(args, "context"),
            Labels = List(args, "labels"),
            Drop = List(args, "drop"),
            Censored = args.Get("censored"),
            RulCap = cap,
            MachineId = args.Get("machine-id"),
            Missing = missing,
            MaxBytes = (long)args.GetDouble("max-mb", ImportOptions.DefaultMaxBytes / 1048576.0) * 1048576,
        };
    }

    private static List<string>? List(CommandArgs args, string name) => args.GetList(name) is { Count: > 0 } list ? list.ToList() : null;
}
