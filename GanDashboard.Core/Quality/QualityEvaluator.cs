using System.Diagnostics;
using System.Globalization;
using GanDashboard.Core.Quality.Fidelity;
using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Quality.Temporal;
using GanDashboard.Core.Quality.Usefulness;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality;

/// <summary>
/// Builds the quality report of a synthetic table against its real (seed) table: SDMetrics fidelity and validity,
/// temporal fidelity of runs, TSTR usefulness and memorisation, each judged against <see cref="QualityGates"/>.
/// </summary>
public static class QualityEvaluator
{
    /// <param name="real">The real data the generator learnt from.</param>
    /// <param name="synthetic">The synthetic data to judge.</param>
    /// <param name="unseen">
    /// Real runs the generator never saw: fresh runs simulated from the profile with an independent seed, or held-out
    /// real units. Usefulness and memorisation are judged on them, and only when there are at least
    /// <see cref="QualityOptions.MinimumUnseenRuns"/>. Without it, a fixed-seed share of the real runs is held out and
    /// the figures are shown but not judged (the generator saw those runs).
    /// </param>
    /// <param name="progress">Receives the name of each section as it starts.</param>
    public static QualityReport Evaluate(
        Table real, Table synthetic, QualityOptions? options = null, Table? unseen = null,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        options ??= new QualityOptions();
        var gates = options.Gates;
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var notes = new List<string>();
        var clock = Stopwatch.StartNew();
        T Timed<T>(string section, Func<T> work)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(section);
            var start = clock.Elapsed;
            var result = work();
            timings[section] = Math.Round((clock.Elapsed - start).TotalSeconds, 3);
            return result;
        }

        var (fidelity, diagnostic) = Timed("fidelity", () => FidelityEvaluator.Evaluate(real, synthetic, options.IdentifierColumns, options.DiscreteColumns));
        var temporal = Timed("temporal", () => TemporalEvaluator.Evaluate(real, synthetic, options.Profile, options.MinimumRuns));

        string unseenSource;
        Table train;
        string? notJudgedBecause = null;
        if (unseen is not null)
        {
            (train, unseenSource) = (real, "given");
        }
        else
        {
            (train, unseen) = RunIndex.HoldOut(real, options.HoldoutFraction, options.Seed);
            unseenSource = $"{options.HoldoutFraction:P0} of the real {(RunIndex.Of(real) is null ? "rows" : "runs")} (seed {options.Seed}), seen by the generator";
            notJudgedBecause = "no unseen runs were given: the held-out real runs were seen by the generator; validate with unseen runs "
                + "(the dashboard and CLI simulate them from the profile)";
            notes.Add("No unseen runs were given: usefulness and memorisation are shown on held-out real runs the generator probably saw, and not judged.");
        }
        var unseenRuns = RunIndex.Of(unseen);
        int unseenUnits = unseenRuns?.Count ?? unseen.RowCount;
        string unit = unseenRuns is null ? "rows" : "runs";
        string basis = unseenRuns is null ? $"{unseen.RowCount:N0} unseen rows" : $"{unseenRuns.Count} unseen runs ({unseen.RowCount:N0} rows)";
        if (notJudgedBecause is null && unseenUnits < options.MinimumUnseenRuns)
            notJudgedBecause = $"not enough runs to judge: {unseenUnits} unseen {unit}, at least {options.MinimumUnseenRuns} needed; "
                + "validate with more unseen runs (more simulated runs, or more held-out real units)";

        UsefulnessResult? usefulness = null;
        string usefulnessSkipped = "not requested";
        if (options.IncludeUsefulness)
        {
            (usefulness, var because) = Timed("usefulness", () => UsefulnessEvaluator.Evaluate(train, unseen, synthetic, options.Profile, options));
            usefulnessSkipped = because ?? "";
        }

        var compared = real.Columns
            .Where(c => !options.IdentifierColumns.Contains(c.Name) && !options.TimeIndexColumns.Contains(c.Name)
                && synthetic.Find(c.Name)?.Kind == c.Kind && unseen.Find(c.Name)?.Kind == c.Kind)
            .Select(c => c.Name)
            .ToList();
        var memorisation = Timed("memorisation", () => MemorisationEvaluator.Evaluate(train, unseen, synthetic, compared, options.DcrSampleRows, options.Seed));

        // Exact copies fail whatever the unseen runs: they need no comparison.
        SectionVerdict Judged(SectionVerdict verdict) => (notJudgedBecause is null || (verdict.Name == "memorisation" && memorisation.ExactMatchShare > gates.ExactMatchShareMax) ? verdict : verdict with
        {
            Status = SectionStatus.NotJudged,
            Summary = "not judged: " + notJudgedBecause + ". Measured: " + verdict.Summary,
        }) with { Basis = basis, Runs = unseenUnits };

        var sections = new List<SectionVerdict>
        {
            FidelityVerdict(fidelity, gates),
            ValidityVerdict(diagnostic, gates),
            temporal is null
                ? SectionVerdict.Skipped("temporal", TemporalGate(gates), "the tables are not run tables (run_id, step, failure_mode, operating_mode)")
                : TemporalVerdict(temporal, gates) with { Basis = $"{RunIndex.Of(real)?.Count} seed runs, {RunIndex.Of(synthetic)?.Count} synthetic runs", Runs = RunIndex.Of(synthetic)?.Count },
            usefulness is null
                ? SectionVerdict.Skipped("usefulness", UsefulnessGate(gates), usefulnessSkipped)
                : Judged(UsefulnessVerdict(usefulness, gates)),
            Judged(MemorisationVerdict(memorisation, gates)),
        };
        RunCheckReport? physics = null;
        if (options.Profile is { IsImported: false } && RunIndex.Of(synthetic) is not null && real.Has(RunColumns.FailureMode) && synthetic.Has(RunColumns.FailureMode))
        {
            physics = Timed("physics", () =>
            {
                var machine = Seeding.MachinePhysics.From(options.Profile);
                var checks = new RunCheckAccumulator(machine) { CheckCriterionCrossing = false };
                checks.Add(synthetic);
                var report = checks.Finish();
                // The reference end of life is the seed's: the runs the generator learned from. The unseen runs are another
                // sample of the machine, so with them the gate also charged the generator for the seed's own sampling noise.
                return report with { Checks = [.. report.Checks, .. EndOfLifeChecks.Compare(real, synthetic, machine, options.MinimumUnseenRuns)] };
            });
            sections.Add(PhysicsVerdict(physics));
        }
        else if (options.Profile is not null)
        {
            sections.Add(SectionVerdict.Skipped("physics", "every hard physics and label check passes",
                "not applicable: the tables have no run_id and failure_mode columns to check runs against the profile"));
        }
        timings["total"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        var report = new QualityReport
        {
            Sections = sections,
            Data = new DataSummary(real.RowCount, synthetic.RowCount, unseen.RowCount, RunIndex.Of(real)?.Count, RunIndex.Of(synthetic)?.Count, unseenSource)
            {
                UnseenRuns = unseenRuns?.Count,
            },
            Gates = gates,
            Fidelity = fidelity,
            Diagnostic = diagnostic,
            Temporal = temporal,
            Usefulness = usefulness,
            Memorisation = memorisation,
            Timings = timings,
            Notes = notes,
        };
        return physics is null ? report : report with
        {
            AdditionalSections = new Dictionary<string, object>(report.AdditionalSections) { ["physics"] = physics },
        };
    }

    /// <summary>Physics and labels (profile ranges, exact RUL, health state, criterion crossing, trend): every hard check must pass.</summary>
    internal static SectionVerdict PhysicsVerdict(RunCheckReport physics)
    {
        var hard = physics.Checks.Where(c => c.Hard).ToList();
        var failed = physics.Failures.Where(c => c.Hard).Select(c => c.Name).ToList();
        double score = hard.Count == 0 ? 1 : (double)hard.Count(c => c.Passed) / hard.Count;
        var failures = physics.Failures.Where(c => c.Hard)
            .Select(c => c.Name + (c.FailingRuns is { } n && c.Runs is { } of ? $" ({n} of {of} runs{(c.ExampleRunId is { } id ? $", e.g. run {id}" : "")})" : ""));
        return new SectionVerdict("physics", Status(physics.Passed), score, "every hard physics and label check passes",
            failed.Count == 0 ? $"{hard.Count} hard checks passed over {physics.Runs} runs" : "failed: " + string.Join(", ", failures))
        {
            Basis = $"{physics.Runs} synthetic runs",
            Runs = physics.Runs,
        };
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";

    private static SectionStatus Status(bool passed) => passed ? SectionStatus.Passed : SectionStatus.Failed;

    internal static SectionVerdict FidelityVerdict(FidelityResult f, QualityGates g)
    {
        bool passed = f.Overall >= g.OverallMin && f.ColumnShapes >= g.ColumnShapesMin
            && (f.ColumnPairTrends is null || f.ColumnPairTrends >= g.ColumnPairTrendsMin);
        string pairs = f.ColumnPairTrends is null
            ? "no pair shows a relationship in the real data"
            : $"column pair trends {F(f.ColumnPairTrends)} over {f.QualifyingPairs} of {f.Pairs.Count} pairs";
        return new SectionVerdict("fidelity", Status(passed), f.Overall,
            $"overall >= {F(g.OverallMin)}, column shapes >= {F(g.ColumnShapesMin)}, column pair trends >= {F(g.ColumnPairTrendsMin)}",
            $"overall {F(f.Overall)}, column shapes {F(f.ColumnShapes)}, {pairs} (all-pairs mean {F(f.AllPairsMean)})");
    }

    internal static SectionVerdict ValidityVerdict(DiagnosticResult d, QualityGates g)
    {
        var worst = d.Columns.Where(c => c.Adherence is not null).OrderBy(c => c.Adherence).FirstOrDefault();
        return new SectionVerdict("validity", Status(d.DataValidity >= g.DataValidityMin), d.DataValidity,
            $"mean boundary/category adherence >= {F(g.DataValidityMin)}",
            $"data validity {F(d.DataValidity)}, coverage {F(d.Coverage)}" + (worst is null ? "" : $", lowest {worst.Column} {F(worst.Adherence)}"));
    }

    private static string TemporalGate(QualityGates g) =>
        $"temporal score >= {F(g.TemporalScoreMin)}, lag-1 autocorrelation gap <= {F(g.AutocorrelationGapMax)}";

    internal static SectionVerdict TemporalVerdict(TemporalResult t, QualityGates g)
    {
        bool passed = t.Score >= g.TemporalScoreMin && (t.MaxAutocorrelationGap is null || t.MaxAutocorrelationGap <= g.AutocorrelationGapMax);
        return new SectionVerdict("temporal", Status(passed), t.Score, TemporalGate(g),
            $"run lengths {F(t.RunLengthScore)}, autocorrelation {F(t.AutocorrelationScore)} (largest gap {F(t.MaxAutocorrelationGap)}), "
            + $"dwell times {F(t.DwellTimeScore)}, warning-to-failure {F(t.WarningToFailureScore)}");
    }

    private static string UsefulnessGate(QualityGates g) =>
        $"TSTR/TRTR RMSE <= {F(g.RmseRatioMax)}, PHM08 score ratio (mean over every row of the unseen runs) <= {F(g.NasaScoreRatioMax)}";

    private static string Interval(BootstrapInterval? i) => i is null ? "" : $" (90 % interval over runs {F(i.Low)}-{F(i.High)})";

    /// <remarks>
    /// The PHM08 gate is on the mean over every row of the unseen runs. The C-MAPSS convention (one cut per run, summed) is
    /// shown beside it, but not gated: its exponential penalty lets the latest of 50 predictions decide the sum (the pump's
    /// default pipeline measured a cut-sum ratio of 1.345 with a 90 % interval of 0.81-1.36 where the per-row ratio was 1.02).
    /// </remarks>
    internal static SectionVerdict UsefulnessVerdict(UsefulnessResult u, QualityGates g)
    {
        bool passed = u.RmseRatio <= g.RmseRatioMax && u.NasaScorePerRowRatio <= g.NasaScoreRatioMax;
        return new SectionVerdict("usefulness", Status(passed), u.RmseRatio, UsefulnessGate(g),
            $"RMSE TSTR {F(u.Tstr.Rmse)} vs TRTR {F(u.Trtr.Rmse)}: ratio {F(u.RmseRatio)}{Interval(u.RmseRatioInterval)}; "
            + $"PHM08 score per row {F(u.Tstr.NasaScorePerRow)} vs {F(u.Trtr.NasaScorePerRow)}: ratio {F(u.NasaScorePerRowRatio)}{Interval(u.NasaScorePerRowRatioInterval)}"
            + (u.ErrorUnitSteps > 1 ? $" (d in units of {u.ErrorUnitSteps:0.##} steps: the RUL cap is {u.CapSteps:0.#} steps, and PHM08's constants were set for a cap of 125)" : "") + "; "
            + $"at one cut per run (C-MAPSS convention, not gated) {u.Tstr.NasaScore:0.#} vs {u.Trtr.NasaScore:0.#} (ratio {F(u.NasaScoreRatio)}{Interval(u.NasaScoreRatioInterval)}); on {u.UnseenRuns} unseen runs"
            + (u.TooEasy ? $"; too easy: RMSE {F(u.TstrOnSynthetic.Rmse)} on synthetic runs" : ""));
    }

    internal static SectionVerdict MemorisationVerdict(MemorisationResult m, QualityGates g)
    {
        var o = m.OverfittingProtection;
        bool passed = m.ExactMatchShare <= g.ExactMatchShareMax && (o is null || o.Score >= g.DcrOverfittingProtectionMin);
        var b = m.BaselineProtection;
        return new SectionVerdict("memorisation", Status(passed), o?.Score,
            $"exact-match share <= {F(g.ExactMatchShareMax)}, DCR overfitting protection >= {F(g.DcrOverfittingProtectionMin)}",
            $"{m.ExactMatches} exact copies ({F(m.ExactMatchShare)}); DCR overfitting protection {F(o?.Score)} "
            + $"({F(o?.CloserToTraining)} of synthetic rows closer to training than to unseen rows, {m.DcrReferenceSample} rows each side); "
            + $"DCR baseline protection {F(b?.Score)} (median DCR {F(b?.SyntheticMedianDcr)} vs random {F(b?.RandomMedianDcr)})");
    }
}
