using System.Text.Json;
using System.Text.Json.Serialization;
using GanDashboard.Core.Quality.Fidelity;
using GanDashboard.Core.Quality.Memorisation;
using GanDashboard.Core.Quality.Temporal;
using GanDashboard.Core.Quality.Usefulness;

namespace GanDashboard.Core.Quality;

public enum SectionStatus
{
    Passed,
    Failed,
    /// <summary>Not measurable on these tables (e.g. no runs, no RUL target); does not fail the report.</summary>
    Skipped,
    /// <summary>Measurable but not judged: too few unseen runs, or none that the generator never saw. The report cannot pass.</summary>
    NotJudged,
}

/// <summary>The report's verdict: every gate judged and passed, some gate failed, or no failure but some gate not judged.</summary>
public enum ReportVerdict
{
    Passed,
    Failed,
    NotJudged,
}

/// <summary>
/// The shape every report section shares: its name, whether it passed its gate, its headline score and a
/// one-line summary. Any further section (e.g. the physics and label checks) is added as one of these.
/// </summary>
public sealed record SectionVerdict(string Name, SectionStatus Status, double? Score, string Gate, string Summary)
{
    /// <summary>True unless the section failed its gate (a section not judged has not failed; see <see cref="QualityReport.Verdict"/>).</summary>
    public bool Passed => Status != SectionStatus.Failed;

    /// <summary>What the figure rests on, e.g. "50 unseen runs (21,300 rows)"; null where it rests on whole tables.</summary>
    public string? Basis { get; init; }

    /// <summary>Runs the judgement rests on (unseen runs for usefulness and memorisation, checked runs for physics).</summary>
    public int? Runs { get; init; }

    public static SectionVerdict Skipped(string name, string gate, string because) => new(name, SectionStatus.Skipped, null, gate, "skipped: " + because);

    public static SectionVerdict NotJudged(string name, string gate, string because, double? score = null) =>
        new(name, SectionStatus.NotJudged, score, gate, "not judged: " + because);
}

/// <summary>What was compared: row counts, runs and where the held-out real rows came from.</summary>
/// <remarks>"Holdout" is the table of unseen runs: runs the generator never saw (fresh simulated runs or held-out real units).</remarks>
public sealed record DataSummary(int RealRows, int SyntheticRows, int HoldoutRows, int? RealRuns, int? SyntheticRuns, string HoldoutSource)
{
    public int? UnseenRuns { get; init; }
}

/// <summary>The validation report of one synthetic dataset against its real (seed) data.</summary>
public sealed record QualityReport
{
    /// <summary>True only when every gate was judged and passed.</summary>
    public bool Passed => Verdict == ReportVerdict.Passed;

    /// <summary>Failed when any gate failed; otherwise not judged when any gate could not be judged; otherwise passed.</summary>
    public ReportVerdict Verdict =>
        Sections.Any(s => s.Status == SectionStatus.Failed) ? ReportVerdict.Failed
        : Sections.Any(s => s.Status == SectionStatus.NotJudged) ? ReportVerdict.NotJudged
        : ReportVerdict.Passed;

    /// <summary>SDMetrics' overall quality score.</summary>
    public double? Overall => Fidelity.Overall;
    public double? ColumnShapes => Fidelity.ColumnShapes;
    /// <summary>SDMetrics' Column Pair Trends: only pairs with a relationship in the real data count.</summary>
    public double? ColumnPairTrends => Fidelity.ColumnPairTrends;
    /// <summary>The pair similarity averaged over every pair (older SDMetrics' and other tools' "pair fidelity").</summary>
    public double? ColumnPairTrendsAllPairs => Fidelity.AllPairsMean;

    public required IReadOnlyList<SectionVerdict> Sections { get; init; }
    public required DataSummary Data { get; init; }
    public required QualityGates Gates { get; init; }
    public required FidelityResult Fidelity { get; init; }
    public required DiagnosticResult Diagnostic { get; init; }
    public TemporalResult? Temporal { get; init; }
    public UsefulnessResult? Usefulness { get; init; }
    public MemorisationResult? Memorisation { get; init; }

    /// <summary>Details of sections added after evaluation (see <see cref="WithSection"/>), by section name.</summary>
    public IReadOnlyDictionary<string, object> AdditionalSections { get; init; } = new Dictionary<string, object>();

    /// <summary>Seconds spent on each section.</summary>
    public required IReadOnlyDictionary<string, double> Timings { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>This report with one more section: its verdict joins <see cref="Sections"/>, its details go under its name.</summary>
    public QualityReport WithSection(SectionVerdict verdict, object? details = null)
    {
        var additional = new Dictionary<string, object>(AdditionalSections, StringComparer.Ordinal);
        if (details is not null) additional[verdict.Name] = details;
        return this with { Sections = [.. Sections, verdict], AdditionalSections = additional };
    }
}

/// <summary>The report's JSON form: snake_case names, enums as snake_case words.</summary>
public static class QualityJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        // A ratio against a perfect baseline can be infinite; write it rather than fail.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(QualityReport report) => JsonSerializer.Serialize(report, Options);
}
