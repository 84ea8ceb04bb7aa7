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
    /// <param name="realTrain">Real runs to train the TRTR baseline on (the seed data).</param>
    /// <param name="unseen">Real runs neither the generator nor the baseline saw: both regressors are tested on them.</param>
    public static (UsefulnessResult? Result, string? SkippedBecause) Evaluate(
        Table realTrain, Table unseen, Table synthetic, MachineProfile? profile, QualityOptions options)
    {
        if (!realTrain.Has(RunColumns.RulCapped) || !synthetic.Has(RunColumns.RulCapped) || !unseen.Has(RunColumns.RulCapped))
            return (null, $"the tables have no '{RunColumns.RulCapped}' column to predict");
        var layout = FeatureLayout.Create(realTrain, synthetic, profile);
        if (layout.Width == 0) return (null, "no sensor columns to use as features");

        var notes = new List<string>();
        int syntheticRuns = RunIndex.Of(synthetic)?.Count ?? 0;
        if (syntheticRuns is > 0 && syntheticRuns < options.MinimumRuns)
            notes.Add($"Only {syntheticRuns} synthetic runs back TSTR (fewer than {options.MinimumRuns}).");
        // TSTR learns from every synthetic run, as TRTR learns from every seed run: holding runs out of it for the "too
        // easy" check gave it a fifth fewer runs than the data it judges, and a noisier regressor scores worse on PHM08's
        // exponential late penalty. That check fits a regressor of its own on the rest and scores the held-out runs.
        var (syntheticTrain, syntheticCheck) = RunIndex.HoldOut(synthetic, options.HoldoutFraction, options.Seed);

        var ml = new MLContext(options.Seed);
        var (unseenData, unseenRows) = layout.Rows(unseen);
        var tstrModel = Train(ml, layout.Rows(synthetic).Rows, options);
        var trtrModel = Train(ml, layout.Rows(realTrain).Rows, options);
        var tstrPredicted = Predict(ml, tstrModel, unseenData);
        var trtrPredicted = Predict(ml, trtrModel, unseenData);
        var truth = unseenData.Select(r => (double)r.Label).ToArray();

        // Runs of the unseen table as indices into the scored rows; a table without runs is one run per row.
        var rowToScored = new Dictionary<int, int>(unseenRows.Length);
        for (int i = 0; i < unseenRows.Length; i++) rowToScored[unseenRows[i]] = i;
        var runs = (RunIndex.Of(unseen)?.Rows ?? unseenRows.Select(r => new[] { r }).ToList())
            .Select(run => run.Where(rowToScored.ContainsKey).Select(r => rowToScored[r]).ToArray())
            .Where(run => run.Length > 0).ToList();
        double rulPerStep = RulPerStep(unseen);
        double cap = profile?.Labels?.RulCap ?? realTrain[RunColumns.RulCapped].Numbers!.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var cuts = Phm.CutPoints(runs.Select(r => r.Length).ToArray(), options.Seed);
        double unit = Phm.ErrorUnit(cap / rulPerStep);
        var tstrErrors = Phm.StepErrors(tstrPredicted, truth, rulPerStep * unit, cap);
        var trtrErrors = Phm.StepErrors(trtrPredicted, truth, rulPerStep * unit, cap);
        var tstrPhm = Phm.Score(tstrErrors, runs, cuts, cap / rulPerStep);
        var trtrPhm = Phm.Score(trtrErrors, runs, cuts, cap / rulPerStep);

        var tstr = Scores(tstrPredicted, truth, tstrPhm, "synthetic", "unseen real runs", synthetic.RowCount);
        var trtr = Scores(trtrPredicted, truth, trtrPhm, "real", "unseen real runs", realTrain.RowCount);
        var (checkData, _) = layout.Rows(syntheticCheck);
        // A coarse check (half the TSTR error or less): a quarter of the trees is enough, and the report stays quick.
        var checkModel = Train(ml, layout.Rows(syntheticTrain).Rows, options with { RegressorTrees = Math.Max(10, options.RegressorTrees / 4) });
        var onSynthetic = Scores(Predict(ml, checkModel, checkData), checkData.Select(r => (double)r.Label).ToArray(), null,
            "synthetic", "synthetic holdout", syntheticTrain.RowCount);

        // Per-run sums for the bootstrap over runs.
        double[] PerRun(Func<int, double> value) => runs.Select(run => run.Sum(value)).ToArray();
        double[] PerRunLog(double[] errors) => runs.Select(run => run.Aggregate(double.NegativeInfinity, (a, i) => Phm.LogAdd(a, Phm.LogTerm(errors[i])))).ToArray();
        var rmseInterval = RunBootstrap.RmseRatio(
            PerRun(i => (tstrPredicted[i] - truth[i]) * (tstrPredicted[i] - truth[i])),
            PerRun(i => (trtrPredicted[i] - truth[i]) * (trtrPredicted[i] - truth[i])), seed: options.Seed);
        var rowMeanInterval = RunBootstrap.LogSumRatio(PerRunLog(tstrErrors), PerRunLog(trtrErrors), seed: options.Seed);
        double[] AtCut(double[] errors) => runs.Select((run, k) => Phm.LogTerm(errors[run[cuts[k]]])).ToArray();
        var cutInterval = RunBootstrap.LogSumRatio(AtCut(tstrErrors), AtCut(trtrErrors), seed: options.Seed);

        bool tooEasy = onSynthetic.Rmse < options.TooEasyRatio * tstr.Rmse;
        return (new UsefulnessResult(RunColumns.RulCapped, layout.FeatureNames, tstr, trtr, onSynthetic,
            Ratio(tstr.Rmse, trtr.Rmse), Phm.Ratio(tstrPhm.LogCutSum, trtrPhm.LogCutSum), tooEasy, notes)
        {
            UnseenRuns = runs.Count,
            UnseenRows = unseenRows.Length,
            RulPerStep = rulPerStep,
            CapSteps = cap / rulPerStep,
            ErrorUnitSteps = unit,
            NasaScorePerRowRatio = Phm.Ratio(tstrPhm.LogRowMean, trtrPhm.LogRowMean),
            RmseRatioInterval = rmseInterval,
            NasaScoreRatioInterval = cutInterval,
            NasaScorePerRowRatioInterval = rowMeanInterval,
        }, null);
    }

    /// <summary>
    /// How much RUL falls per step, from the table itself (the median over runs of the drop per step of <c>rul</c>, or of
    /// <c>rul_capped</c> below the cap), so the PHM score counts steps whatever unit the RUL column is in; 1 without runs.
    /// </summary>
    internal static double RulPerStep(Table table)
    {
        if (RunIndex.Of(table) is not { } runs) return 1;
        var rul = (table.Find("rul") ?? table.Find(RunColumns.RulCapped))?.Numbers;
        if (rul is null) return 1;
        var drops = new List<double>();
        foreach (var run in runs.Rows)
        {
            if (run.Length < 2) continue;
            // The last two rows are below any cap (RUL ends at 0).
            double drop = rul[run[^2]] - rul[run[^1]];
            if (drop > 0 && double.IsFinite(drop)) drops.Add(drop);
        }
        return drops.Count == 0 ? 1 : Memorisation.Dcr.Median(drops);
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

    private static double[] Predict(MLContext ml, ITransformer model, FeatureRow[] test) =>
        model.Transform(Load(ml, test)).GetColumn<float>("Score").Select(v => (double)v).ToArray();

    private static RegressorScores Scores(double[] predicted, double[] truth, PhmScore? phm, string trainedOn, string testedOn, int trainRows)
    {
        double squares = 0;
        for (int i = 0; i < truth.Length; i++) squares += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
        int n = Math.Max(truth.Length, 1);
        return new RegressorScores(trainedOn, testedOn, trainRows, truth.Length, Math.Sqrt(squares / n), phm?.CutSum ?? double.NaN, phm?.RowMean ?? double.NaN)
        {
            Phm = phm,
        };
    }

    /// <summary>The asymmetric PHM08/C-MAPSS score of one prediction error d = predicted - true: late predictions cost more.</summary>
    public static double NasaScore(double d) => Phm.Term(d);

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

        /// <summary>The rows with a target, and which table row each came from.</summary>
        public (FeatureRow[] Rows, int[] TableRows) Rows(Table table)
        {
            var numbers = _numeric.Select(n => table[n].Numbers!).ToArray();
            var modes = _modes.Length > 0 ? table[RunColumns.OperatingMode] : null;
            var target = table[RunColumns.RulCapped].Numbers!;
            var rows = new List<FeatureRow>(table.RowCount);
            var kept = new List<int>(table.RowCount);
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
                kept.Add(r);
            }
            return (rows.ToArray(), kept.ToArray());
        }
    }
}
