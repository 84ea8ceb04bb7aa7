using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace GanDashboard.Core.Quality.Usefulness;

/// <summary>
/// TSTR/TRTR with ML.NET's FastTree regressor predicting <c>rul_capped</c> from the observable sensors,
/// <c>operating_mode</c> (one-hot) and <c>load_fraction</c>. Never step, time, operating hours, health or RUL
/// columns: they would leak the label.
/// </summary>
public static class UsefulnessEvaluator
{
    /// <summary>Returns null (with the reason) when the tables have no <c>rul_capped</c> target or too few rows.</summary>
    public static (UsefulnessResult? Result, string? SkippedBecause) Evaluate(
        Table realTrain, Table realHoldout, Table synthetic, MachineProfile? profile, QualityOptions options)
    {
        if (!realTrain.Has(RunColumns.RulCapped) || !synthetic.Has(RunColumns.RulCapped))
            return (null, $"the tables have no '{RunColumns.RulCapped}' column to predict");
        var layout = FeatureLayout.Create(realTrain, synthetic, profile);
        if (layout.Width == 0) return (null, "no sensor columns to use as features");

        var notes = new List<string>();
        int syntheticRuns = RunIndex.Of(synthetic)?.Count ?? 0;
        if (syntheticRuns is > 0 && syntheticRuns < options.MinimumRuns)
            notes.Add($"Only {syntheticRuns} synthetic runs back TSTR (fewer than {options.MinimumRuns}).");
        // The TSTR model also scores held-out synthetic runs, to see whether synthetic data is easier than reality.
        var (syntheticTrain, syntheticCheck) = RunIndex.HoldOut(synthetic, options.HoldoutFraction, options.Seed);

        var ml = new MLContext(options.Seed);
        var holdoutData = layout.Rows(realHoldout);
        var tstrModel = Train(ml, layout.Rows(syntheticTrain), options);
        var trtrModel = Train(ml, layout.Rows(realTrain), options);
        var tstr = Score(ml, tstrModel, holdoutData, "synthetic", "real holdout", syntheticTrain.RowCount);
        var trtr = Score(ml, trtrModel, holdoutData, "real", "real holdout", realTrain.RowCount);
        var onSynthetic = Score(ml, tstrModel, layout.Rows(syntheticCheck), "synthetic", "synthetic holdout", syntheticTrain.RowCount);

        bool tooEasy = onSynthetic.Rmse < options.TooEasyRatio * tstr.Rmse;
        return (new UsefulnessResult(RunColumns.RulCapped, layout.FeatureNames, tstr, trtr, onSynthetic,
            Ratio(tstr.Rmse, trtr.Rmse), Ratio(tstr.NasaScore, trtr.NasaScore), tooEasy, notes), null);
    }

    private static double Ratio(double a, double b) => b == 0 ? (a == 0 ? 1 : double.PositiveInfinity) : a / b;

    private static ITransformer Train(MLContext ml, FeatureRow[] rows, QualityOptions options)
    {
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            NumberOfTrees = options.RegressorTrees,
            NumberOfLeaves = options.RegressorLeaves,
            MinimumExampleCountPerLeaf = 10,
            Seed = options.Seed,
        });
        return trainer.Fit(Load(ml, rows));
    }

    private static IDataView Load(MLContext ml, FeatureRow[] rows)
    {
        int width = rows.Length == 0 ? 1 : rows[0].Features.Length;
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static RegressorScores Score(MLContext ml, ITransformer model, FeatureRow[] test, string trainedOn, string testedOn, int trainRows)
    {
        var predicted = model.Transform(Load(ml, test)).GetColumn<float>("Score").ToArray();
        double squares = 0, nasa = 0;
        for (int i = 0; i < test.Length; i++)
        {
            double d = predicted[i] - (double)test[i].Label;
            squares += d * d;
            nasa += NasaScore(d);
        }
        int n = Math.Max(test.Length, 1);
        return new RegressorScores(trainedOn, testedOn, trainRows, test.Length, Math.Sqrt(squares / n), nasa, nasa / n);
    }

    /// <summary>The asymmetric PHM08/C-MAPSS score of one prediction error d = predicted - true: late predictions cost more.</summary>
    public static double NasaScore(double d) => d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1;

    /// <summary>ML.NET's input row: a fixed-width feature vector (width set at run time) and the label.</summary>
    internal sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    /// <summary>Which columns become features and how; fitted on the real training table.</summary>
    private sealed class FeatureLayout
    {
        private string[] _numeric = [];
        private double[] _fill = [];
        private string[] _modes = [];

        public IReadOnlyList<string> FeatureNames => [.. _numeric, .. _modes.Select(m => $"{RunColumns.OperatingMode}={m}")];
        public int Width => _numeric.Length + _modes.Length;

        public static FeatureLayout Create(Table real, Table synthetic, MachineProfile? profile)
        {
            var numeric = RunColumns.Sensors(real, profile, observableOnly: true).Where(synthetic.Has).ToList();
            if (real.Find(RunColumns.LoadFraction) is { IsNumberColumn: true } && synthetic.Has(RunColumns.LoadFraction))
                numeric.Add(RunColumns.LoadFraction);
            // Missing values become the real column's mean: FastTree gets a plain number either way.
            var fill = numeric.Select(n => real[n].Numbers!.Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Average()).ToArray();
            string[] modes = real.Find(RunColumns.OperatingMode) is { Labels: { } labels } && synthetic.Has(RunColumns.OperatingMode)
                ? labels.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
                : [];
            return new FeatureLayout { _numeric = numeric.ToArray(), _fill = fill, _modes = modes };
        }

        public FeatureRow[] Rows(Table table)
        {
            var numbers = _numeric.Select(n => table[n].Numbers!).ToArray();
            var modes = _modes.Length > 0 ? table[RunColumns.OperatingMode] : null;
            var target = table[RunColumns.RulCapped].Numbers!;
            var rows = new List<FeatureRow>(table.RowCount);
            for (int r = 0; r < table.RowCount; r++)
            {
                if (double.IsNaN(target[r])) continue;
                var features = new float[Width];
                for (int c = 0; c < numbers.Length; c++)
                    features[c] = (float)(double.IsNaN(numbers[c][r]) ? _fill[c] : numbers[c][r]);
                if (modes is not null)
                {
                    int m = Array.IndexOf(_modes, RunIndex.KeyOf(modes, r));
                    if (m >= 0) features[_numeric.Length + m] = 1;
                }
                rows.Add(new FeatureRow { Features = features, Label = (float)target[r] });
            }
            return rows.ToArray();
        }
    }
}
