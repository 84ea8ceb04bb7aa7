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
    /// <param name="holdout">Real runs the generator never saw. Without it, a fixed-seed share of the real runs is held
    /// out for usefulness and memorisation (those runs were probably seen by the generator: the report says so).</param>
    /// <param name="progress">Receives the name of each section as it starts.</param>
    public static QualityReport Evaluate(
        Table real, Table synthetic, QualityOptions? options = null, Table? holdout = null,
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

        string holdoutSource;
        Table train;
        if (holdout is not null)
        {
            (train, holdoutSource) = (real, "given");
        }
        else
        {
            (train, holdout) = RunIndex.HoldOut(real, options.HoldoutFraction, options.Seed);
            holdoutSource = $"{options.HoldoutFraction:P0} of the real {(RunIndex.Of(real) is null ? "rows" : "runs")} (seed {options.Seed})";
            notes.Add("No holdout was given: usefulness and memorisation hold out part of the real data, which the generator probably saw; "
                + "pass real runs it never saw for a fair test.");
        }

        UsefulnessResult? usefulness = null;
        string usefulnessSkipped = "not requested";
        if (options.IncludeUsefulness)
        {
            (usefulness, var because) = Timed("usefulness", () => UsefulnessEvaluator.Evaluate(train, holdout, synthetic, options.Profile, options));
            usefulnessSkipped = because ?? "";
        }

        var compared = real.Columns
            .Where(c => !options.IdentifierColumns.Contains(c.Name) && synthetic.Find(c.Name)?.Kind == c.Kind && holdout.Find(c.Name)?.Kind == c.Kind)
            .Select(c => c.Name)
            .ToList();
        var memorisation = Timed("memorisation", () => MemorisationEvaluator.Evaluate(train, holdout, synthetic, compared, options.DcrSampleRows, options.Seed));

        var sections = new List<SectionVerdict>
        {
            FidelityVerdict(fidelity, gates),
            ValidityVerdict(diagnostic, gates),
            temporal is null
                ? SectionVerdict.Skipped("temporal", TemporalGate(gates), "the tables are not run tables (run_id, step, failure_mode, operating_mode)")
                : TemporalVerdict(temporal, gates),
            usefulness is null
                ? SectionVerdict.Skipped("usefulness", UsefulnessGate(gates), usefulnessSkipped)
                : UsefulnessVerdict(usefulness, gates),
            MemorisationVerdict(memorisation, gates),
        };
        RunCheckReport? physics = null;
        if (options.Profile is { IsImported: false } && RunIndex.Of(synthetic) is not null)
        {
            physics = Timed("physics", () =>
            {
                var checks = new RunCheckAccumulator(options.Profile);
                checks.Add(synthetic);
                return checks.Finish();
            });
            sections.Add(PhysicsVerdict(physics));
        }
        timings["total"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        var report = new QualityReport
        {
            Sections = sections,
            Data = new DataSummary(real.RowCount, synthetic.RowCount, holdout.RowCount, RunIndex.Of(real)?.Count, RunIndex.Of(synthetic)?.Count, holdoutSource),
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
        return new SectionVerdict("physics", Status(physics.Passed), score, "every hard physics and label check passes",
            failed.Count == 0 ? $"{hard.Count} hard checks passed over {physics.Runs} runs" : "failed: " + string.Join(", ", failed));
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
        $"TSTR/TRTR RMSE <= {F(g.RmseRatioMax)}, NASA score ratio <= {F(g.NasaScoreRatioMax)}";

    internal static SectionVerdict UsefulnessVerdict(UsefulnessResult u, QualityGates g)
    {
        bool passed = u.RmseRatio <= g.RmseRatioMax && u.NasaScoreRatio <= g.NasaScoreRatioMax;
        return new SectionVerdict("usefulness", Status(passed), u.RmseRatio, UsefulnessGate(g),
            $"RMSE TSTR {F(u.Tstr.Rmse)} vs TRTR {F(u.Trtr.Rmse)} (ratio {F(u.RmseRatio)}), NASA score ratio {F(u.NasaScoreRatio)}"
            + (u.TooEasy ? $"; too easy: RMSE {F(u.TstrOnSynthetic.Rmse)} on synthetic runs" : ""));
    }

    internal static SectionVerdict MemorisationVerdict(MemorisationResult m, QualityGates g)
    {
        bool passed = m.ExactMatchShare <= g.ExactMatchShareMax && (m.DcrShare is null || m.DcrShare <= g.DcrShareMax);
        return new SectionVerdict("memorisation", Status(passed), m.DcrShare,
            $"exact-match share <= {F(g.ExactMatchShareMax)}, DCR share <= {F(g.DcrShareMax)}",
            $"{m.ExactMatches} exact copies ({F(m.ExactMatchShare)}), DCR share {F(m.DcrShare)} (0.5 is ideal)");
    }
}
