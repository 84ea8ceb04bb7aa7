using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Tables;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>validate --real FILE --synthetic FILE|DIR [--unseen FILE | --unseen-runs 50 [--unseen-seed N]] [--profile FILE]
/// [--discrete a,b] [--no-usefulness] [--json]</c>: the quality report of a synthetic dataset. Usefulness and memorisation
/// are judged on unseen runs: a table of them (<c>--unseen</c>, or its older name <c>--holdout</c>), or with a profile
/// and no table, <c>--unseen-runs</c> fresh runs simulated from the profile with a seed independent of the seed data's.
/// Exit 0 when every gate was judged and passed, 1 when one failed or could not be judged, 2 on unreadable input.
/// </summary>
public static class ValidateCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var real = await TableFile.ReadAsync(args.Require("real"));
        var synthetic = await TableFile.ReadAsync(SyntheticPath(args.Require("synthetic")));
        var profile = args.Get("profile") is { } profilePath ? ReadProfile(profilePath) : null;
        var unseen = (args.Get("unseen") ?? args.Get("holdout")) is { } unseenPath ? await TableFile.ReadAsync(unseenPath) : null;
        if (unseen is null && profile is { IsImported: false } && RunColumns.IsRunTable(real))
        {
            int runs = args.GetInt("unseen-runs", UnseenRuns.Default);
            ulong seed = args.Get("unseen-seed") is { } text ? ulong.Parse(text, CultureInfo.InvariantCulture) : UnseenRuns.SeedFor(profile.MachineId ?? "");
            unseen = UnseenRuns.Simulate(profile, runs, seed);
        }
        var options = new QualityOptions
        {
            Profile = profile,
            DiscreteColumns = args.GetList("discrete"),
            IncludeUsefulness = !args.Has("no-usefulness"),
        };
        // An imported table's own run id and order columns identify rows, like run_id and step.
        if (profile?.Import is { } import)
        {
            options = options with { IdentifierColumns = GanDashboard.Core.Import.RunTableSchema.IdentifiersOf(import) };
            // Held-out units of an imported table are its own runs (train run-aware --holdout-out): judge against the rest.
            if (unseen is not null) real = GanDashboard.Core.Import.UnitHoldout.Without(real, unseen);
        }
        var report = QualityEvaluator.Evaluate(real, synthetic, options, unseen);
        if (args.Has("json")) args.Output.WriteLine(QualityJson.Serialize(report));
        else QualityReportText.Write(report, args.Output);
        return report.Passed ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    /// <summary>A dataset folder stands for its train split.</summary>
    private static string SyntheticPath(string path)
    {
        if (!Directory.Exists(path)) return path;
        foreach (string name in new[] { "train.parquet", "train.csv" })
        {
            string candidate = Path.Combine(path, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"The folder '{path}' has no train.parquet or train.csv.");
    }

    private static MachineProfile ReadProfile(string path)
    {
        try { return ProfileJson.Deserialize(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a readable JSON profile: {e.Message}", e); }
    }
}

/// <summary>The report as a person reads it in a terminal.</summary>
internal static class QualityReportText
{
    private static string F(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "  n/a";

    public static void Write(QualityReport report, TextWriter o)
    {
        var d = report.Data;
        o.WriteLine($"Quality report: {report.Verdict switch { ReportVerdict.Passed => "PASSED", ReportVerdict.Failed => "FAILED", _ => "NOT JUDGED" }}");
        o.WriteLine($"  real {d.RealRows} rows{Runs(d.RealRuns)}, synthetic {d.SyntheticRows} rows{Runs(d.SyntheticRuns)}, unseen {d.HoldoutRows} rows{Runs(d.UnseenRuns)} ({d.HoldoutSource})");
        o.WriteLine();
        o.WriteLine("Sections");
        foreach (var s in report.Sections)
            o.WriteLine($"  {Mark(s.Status),-6} {s.Name,-13} {F(s.Score)}  {s.Summary}  [gate: {s.Gate}]{(s.Basis is null ? "" : $" [on {s.Basis}]")}");
        if (report.AdditionalSections.GetValueOrDefault("physics") is GanDashboard.Core.Quality.RunChecks.RunCheckReport physics)
        {
            o.WriteLine();
            o.WriteLine($"Physics and label checks ({physics.Runs} synthetic runs)");
            foreach (var c in physics.Checks)
                o.WriteLine($"  {(c.Passed ? "[pass]" : c.Hard ? "[FAIL]" : "[warn]"),-6} {c.Name,-44} {c.Value,8:0.000}"
                    + (c.FailingRuns is { } n ? $"  {n} of {c.Runs} runs fail" : "") + (c.ExampleRunId is { } id ? $" (e.g. run {id})" : ""));
        }
        o.WriteLine();
        o.WriteLine("Column shapes");
        var validity = report.Diagnostic.Columns.ToDictionary(c => c.Column, StringComparer.Ordinal);
        foreach (var c in report.Fidelity.Columns)
        {
            var v = validity.GetValueOrDefault(c.Column);
            o.WriteLine($"  {c.Column,-28} {c.Metric,-13} {F(c.Score)}   {v?.AdherenceMetric,-17} {F(v?.Adherence)}   {v?.CoverageMetric,-16} {F(v?.Coverage)}{(c.Error is null ? "" : "  " + c.Error)}");
        }
        o.WriteLine();
        o.WriteLine($"Column pair trends (pairs with a real relationship: {report.Fidelity.QualifyingPairs} of {report.Fidelity.Pairs.Count})");
        foreach (var p in report.Fidelity.Pairs.Where(p => p.MeetsThreshold == true).OrderBy(p => p.Score))
        {
            string detail = p.RealCorrelation is not null
                ? $"r real {F(p.RealCorrelation)} synthetic {F(p.SyntheticCorrelation)}"
                : $"Cramér's V {F(p.RealAssociation)}";
            o.WriteLine($"  {p.Column1 + " / " + p.Column2,-40} {p.Metric,-22} {F(p.Score)}   {detail}");
        }
        if (report.Temporal is { } t)
        {
            o.WriteLine();
            o.WriteLine("Temporal");
            foreach (var r in t.RunLengths)
                o.WriteLine($"  run length {r.FailureMode,-22} {F(r.Score)}   mean {r.RealMeanSteps:0} real vs {F(r.SyntheticMeanSteps)} synthetic ({r.RealRuns} vs {r.SyntheticRuns} runs)");
            foreach (var a in t.Autocorrelation)
                o.WriteLine($"  lag-1 autocorrelation {a.Sensor,-22} real {F(a.Real)} synthetic {F(a.Synthetic)} gap {F(a.Gap)}");
            foreach (var w in t.DwellTimes)
                o.WriteLine($"  dwell {w.OperatingMode,-22} {F(w.Score)}   mean {w.RealMeanSteps:0.0} real vs {F(w.SyntheticMeanSteps)} synthetic steps");
            if (t.WarningToFailure is { } wf)
                o.WriteLine($"  warning to failure ({wf.WarningFrom}) {F(wf.Score)}   mean {F(wf.RealMeanSteps)} real vs {F(wf.SyntheticMeanSteps)} synthetic steps");
        }
        if (report.Usefulness is { } u)
        {
            o.WriteLine();
            o.WriteLine($"Usefulness (FastTree predicting {u.Target} from {u.Features.Count} features)");
            foreach (var s in new[] { u.Tstr, u.Trtr, u.TstrOnSynthetic })
                o.WriteLine($"  trained on {s.TrainedOn,-10} tested on {s.TestedOn,-18} RMSE {F(s.Rmse)}  NASA score {s.NasaScore:0.##} ({F(s.NasaScorePerRow)} per row)");
            o.WriteLine($"  on {u.UnseenRuns} unseen runs ({u.UnseenRows} rows); PHM08 d in steps ({u.RulPerStep:g4} RUL units per step), RUL capped at {u.CapSteps:0.#} steps");
            o.WriteLine($"  RMSE ratio {F(u.RmseRatio)} (90 % interval over runs {F(u.RmseRatioInterval?.Low)}-{F(u.RmseRatioInterval?.High)}), "
                + $"PHM08 ratio at one cut per run {F(u.NasaScoreRatio)} ({F(u.NasaScoreRatioInterval?.Low)}-{F(u.NasaScoreRatioInterval?.High)}), per row {F(u.NasaScorePerRowRatio)}");
            if (u.TooEasy) o.WriteLine("  warning: the synthetic data is too easy (the model does far better on synthetic runs than on real ones)");
        }
        if (report.Memorisation is { } m)
        {
            o.WriteLine();
            o.WriteLine($"Memorisation: {m.ExactMatches} of {m.SyntheticRows} synthetic rows copy a real row; DCR overfitting protection "
                + $"{F(m.OverfittingProtection?.Score)} ({F(m.DcrShare)} closer to training; {m.DcrReferenceSample} training and unseen rows"
                + $"{(m.UnseenRuns is { } ur ? $" from {m.TrainingRuns} and {ur} runs" : "")}), DCR baseline protection {F(m.BaselineProtection?.Score)}");
        }
        var notes = report.Notes
            .Concat(report.Temporal?.Notes ?? [])
            .Concat(report.Usefulness?.Notes ?? [])
            .Concat(report.Memorisation?.Notes ?? [])
            .Append("Contingency pairs use every row (SDMetrics subsamples pairs of tables over 50,000 rows).")
            .ToList();
        o.WriteLine();
        o.WriteLine("Notes");
        foreach (string note in notes) o.WriteLine("  - " + note);
        o.WriteLine($"Took {report.Timings.GetValueOrDefault("total"):0.00} s.");
    }

    private static string Runs(int? runs) => runs is { } n ? $" ({n} runs)" : "";

    private static string Mark(SectionStatus status) => status switch
    {
        SectionStatus.Passed => "[pass]",
        SectionStatus.Failed => "[FAIL]",
        SectionStatus.NotJudged => "[----]",
        _ => "[skip]",
    };
}
