using System.Globalization;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.Fidelity;

/// <summary>
/// SDMetrics 0.29's single-table QualityReport (Column Shapes, Column Pair Trends with the real-data relationship
/// thresholds) and DiagnosticReport (Data Validity, Data Structure), plus the Coverage property. Every pair is
/// scored on all rows: SDMetrics subsamples a contingency pair to 50,000 rows at random, we do not.
/// </summary>
public static class FidelityEvaluator
{
    /// <summary>SDMetrics' DEFAULT_REAL_CORRELATION_THRESHOLD: a continuous pair counts when |r_real| exceeds it.</summary>
    public const double RealCorrelationThreshold = 0.5;

    /// <summary>SDMetrics' DEFAULT_REAL_ASSOCIATION_THRESHOLD: any other pair counts when Cramér's V exceeds it.</summary>
    public const double RealAssociationThreshold = 0.3;

    /// <summary>Scores the named columns (in the real table's order); columns absent from the synthetic table are reported as excluded.</summary>
    public static (FidelityResult Fidelity, DiagnosticResult Diagnostic) Evaluate(
        Table real, Table synthetic, IEnumerable<string> excludedColumns, IEnumerable<string> discreteColumns)
    {
        var excluded = new HashSet<string>(excludedColumns, StringComparer.Ordinal);
        var discrete = new HashSet<string>(discreteColumns, StringComparer.Ordinal);
        var columns = new List<ScoredColumn>();
        var skipped = new List<string>();
        foreach (var column in real.Columns)
        {
            if (excluded.Contains(column.Name) || !synthetic.Has(column.Name)) { skipped.Add(column.Name); continue; }
            columns.Add(ScoredColumn.Create(column, synthetic[column.Name], discrete.Contains(column.Name)));
        }

        var shapes = columns.Select(ScoreShape).ToList();
        var pairs = new List<ColumnPairScore>();
        for (int i = 0; i < columns.Count; i++)
            for (int j = i + 1; j < columns.Count; j++)
                pairs.Add(ScorePair(columns[i], columns[j]));

        double? columnShapes = MeanOf(shapes.Select(s => s.Score));
        var qualifying = pairs.Where(p => p.MeetsThreshold == true).ToList();
        double? pairTrends = MeanOf(qualifying.Select(p => p.Score));
        double? overall = MeanOf([columnShapes, pairTrends]);
        var fidelity = new FidelityResult(
            overall, columnShapes, pairTrends, MeanOf(pairs.Select(p => p.Similarity)), qualifying.Count,
            shapes, pairs, columns.Select(c => c.Name).ToList(), skipped);

        var validity = columns.Select(ScoreValidity).ToList();
        double structure = TableStructure(real, synthetic);
        var diagnostic = new DiagnosticResult(
            MeanOf(validity.Select(v => v.Adherence)), MeanOf(validity.Select(v => v.Coverage)), structure, validity);
        return (fidelity, diagnostic);
    }

    /// <summary>SDMetrics' TableStructure: shared (name, type) pairs over all (name, type) pairs of the two tables.</summary>
    internal static double TableStructure(Table real, Table synthetic)
    {
        var realColumns = real.Columns.Select(c => (c.Name, c.Kind)).ToHashSet();
        var syntheticColumns = synthetic.Columns.Select(c => (c.Name, c.Kind)).ToHashSet();
        int union = realColumns.Union(syntheticColumns).Count();
        return union == 0 ? 1 : (double)realColumns.Intersect(syntheticColumns).Count() / union;
    }

    /// <summary>pandas' mean: NaN and missing scores are skipped; null when nothing is left.</summary>
    internal static double? MeanOf(IEnumerable<double?> scores)
    {
        var present = scores.Where(s => s is { } v && !double.IsNaN(v)).Select(s => s!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }

    private static double? Score(double value) => double.IsNaN(value) ? null : value;

    private static ColumnShapeScore ScoreShape(ScoredColumn column)
    {
        string metric = column.IsContinuous ? "KSComplement" : "TVComplement";
        try
        {
            double score = column.IsContinuous
                ? ColumnMetrics.KsComplement(column.RealNumbers!, column.SyntheticNumbers!)
                : ColumnMetrics.TvComplement(column.RealLabels!, column.SyntheticLabels!);
            return new ColumnShapeScore(column.Name, metric, Score(score));
        }
        catch (IncomputableMetricException e)
        {
            return new ColumnShapeScore(column.Name, metric, null, $"IncomputableMetricError: {e.Message}");
        }
    }

    private static ColumnValidity ScoreValidity(ScoredColumn column)
    {
        try
        {
            return column.IsContinuous
                ? new ColumnValidity(column.Name, "BoundaryAdherence", Score(ColumnMetrics.BoundaryAdherence(column.RealNumbers!, column.SyntheticNumbers!)),
                    "RangeCoverage", Score(ColumnMetrics.RangeCoverage(column.RealNumbers!, column.SyntheticNumbers!)))
                : new ColumnValidity(column.Name, "CategoryAdherence", Score(ColumnMetrics.CategoryAdherence(column.RealLabels!, column.SyntheticLabels!)),
                    "CategoryCoverage", Score(ColumnMetrics.CategoryCoverage(column.RealLabels!, column.SyntheticLabels!)));
        }
        catch (IncomputableMetricException e)
        {
            double? adherence = column.IsContinuous ? null : Score(ColumnMetrics.CategoryAdherence(column.RealLabels!, column.SyntheticLabels!));
            return new ColumnValidity(column.Name, "CategoryAdherence", adherence, "CategoryCoverage", null, e.Message);
        }
    }

    private static ColumnPairScore ScorePair(ScoredColumn first, ScoredColumn second) =>
        first.IsContinuous && second.IsContinuous ? ScoreCorrelation(first, second) : ScoreContingency(first, second);

    private static ColumnPairScore ScoreCorrelation(ScoredColumn first, ScoredColumn second)
    {
        const string metric = "CorrelationSimilarity";
        // SDMetrics refuses a pair with a constant column (nulls aside), real data first, before dropping nulls.
        string? constant = ConstantMessage("real data", first.RealIsConstant, second.RealIsConstant, first.Name, second.Name)
            ?? ConstantMessage("synthetic data", first.SyntheticIsConstant, second.SyntheticIsConstant, first.Name, second.Name);
        if (constant is not null)
            return new ColumnPairScore(first.Name, second.Name, metric, null, null, null, null, null, null, "ConstantInputError: " + constant);
        try
        {
            double real = PairMetrics.Pearson(first.RealNumbers!, second.RealNumbers!);
            double synthetic = PairMetrics.Pearson(first.SyntheticNumbers!, second.SyntheticNumbers!);
            double similarity = double.IsNaN(real) || double.IsNaN(synthetic) ? double.NaN : PairMetrics.CorrelationSimilarity(real, synthetic);
            bool meets = !double.IsNaN(real) && Math.Abs(real) > RealCorrelationThreshold;
            return new ColumnPairScore(first.Name, second.Name, metric, meets ? Score(similarity) : null, Score(similarity),
                Score(real), Score(synthetic), null, meets);
        }
        catch (ArgumentException e)
        {
            return new ColumnPairScore(first.Name, second.Name, metric, null, null, null, null, null, null, "ValueError: " + e.Message);
        }
    }

    private static string? ConstantMessage(string side, bool firstConstant, bool secondConstant, string first, string second) =>
        (firstConstant, secondConstant) switch
        {
            (true, true) => $"The {side} in columns '{first}, {second}' contains a constant value. Correlation is undefined for constant data.",
            (true, false) => $"The {side} in column '{first}' contains a constant value. Correlation is undefined for constant data.",
            (false, true) => $"The {side} in column '{second}' contains a constant value. Correlation is undefined for constant data.",
            _ => null,
        };

    private static ColumnPairScore ScoreContingency(ScoredColumn first, ScoredColumn second)
    {
        var real = new CodedPair(first.RealCodes, second.RealCodes);
        var synthetic = new CodedPair(first.SyntheticCodes, second.SyntheticCodes);
        double association = PairMetrics.CramersV(real);
        double similarity = real.Length == 0 || synthetic.Length == 0 ? double.NaN : PairMetrics.ContingencySimilarity(real, synthetic);
        bool meets = !double.IsNaN(association) && association > RealAssociationThreshold;
        return new ColumnPairScore(first.Name, second.Name, "ContingencySimilarity", meets ? Score(similarity) : null, Score(similarity),
            null, null, Score(association), meets);
    }

    /// <summary>One column as SDMetrics sees it in both tables: numbers (continuous) or labels (discrete), and category codes.</summary>
    private sealed class ScoredColumn
    {
        public required string Name { get; init; }
        public required bool IsContinuous { get; init; }
        public double[]? RealNumbers { get; init; }
        public double[]? SyntheticNumbers { get; init; }
        public string?[]? RealLabels { get; init; }
        public string?[]? SyntheticLabels { get; init; }
        /// <summary>Bin indices (continuous, binned per table) or shared category codes (discrete, null = -1).</summary>
        public required int[] RealCodes { get; init; }
        public required int[] SyntheticCodes { get; init; }
        public bool RealIsConstant { get; init; }
        public bool SyntheticIsConstant { get; init; }

        public static ScoredColumn Create(Column real, Column synthetic, bool forceDiscrete)
        {
            bool continuous = real.IsNumberColumn && !forceDiscrete;
            if (continuous)
            {
                double[] realNumbers = real.Numbers!, syntheticNumbers = NumbersOf(synthetic, real.Name);
                // Datetimes reach numpy as int64 nanoseconds; bin on that scale so edge cases fall the same way.
                double scale = real.Kind == ColumnKind.DateTime ? 1e9 : 1;
                return new ScoredColumn
                {
                    Name = real.Name,
                    IsContinuous = true,
                    RealNumbers = realNumbers,
                    SyntheticNumbers = syntheticNumbers,
                    RealCodes = BinOwnRange(realNumbers, scale),
                    SyntheticCodes = BinOwnRange(syntheticNumbers, scale),
                    RealIsConstant = DistinctCount(realNumbers) == 1,
                    SyntheticIsConstant = DistinctCount(syntheticNumbers) == 1,
                };
            }
            string?[] realLabels = LabelsOf(real), syntheticLabels = LabelsOf(synthetic);
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            return new ScoredColumn
            {
                Name = real.Name,
                IsContinuous = false,
                RealLabels = realLabels,
                SyntheticLabels = syntheticLabels,
                RealCodes = Code(realLabels, codes),
                SyntheticCodes = Code(syntheticLabels, codes),
            };
        }

        private static int[] BinOwnRange(double[] values, double scale)
        {
            var scaled = scale == 1 ? values : Array.ConvertAll(values, v => v * scale);
            return PairMetrics.Digitize(scaled, PairMetrics.HistogramBinEdges(scaled));
        }

        private static int DistinctCount(double[] values) => values.Where(v => !double.IsNaN(v)).Distinct().Take(2).Count();

        private static int[] Code(string?[] labels, Dictionary<string, int> codes) =>
            Array.ConvertAll(labels, label =>
            {
                if (label is null) return -1;
                if (!codes.TryGetValue(label, out int code)) codes[label] = code = codes.Count;
                return code;
            });

        private static double[] NumbersOf(Column column, string name)
        {
            if (column.Numbers is { } numbers) return numbers;
            return Array.ConvertAll(column.Labels!, label =>
                label is null ? double.NaN
                : double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                : throw new InvalidDataException($"Column '{name}' is numeric in the real data but holds '{label}' in the synthetic data."));
        }

        /// <summary>Labels of a column scored as discrete; numbers are written the way they round-trip.</summary>
        private static string?[] LabelsOf(Column column) => column.Labels ??
            Array.ConvertAll(column.Numbers!, v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture));
    }
}
