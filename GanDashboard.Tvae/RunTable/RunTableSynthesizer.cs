using System.Globalization;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Import;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunTable;

/// <summary>Settings of a run-table fit: the TVAE's (its ConditionDim is set by the fit) and the transformer's.</summary>
public sealed record RunTableOptions
{
    public TvaeOptions Tvae { get; init; } = new();
    public TransformerOptions Transformer { get; init; } = new();
    /// <summary>Run ids of the imported table that were kept out of this fit (recorded in the model, for judging it later).</summary>
    public IReadOnlyList<string> HeldOutRuns { get; init; } = [];
}

/// <summary>
/// The run-aware TVAE for any table of runs (a user's own run-to-failure data): it needs only runs, their order, numeric
/// sensors and optional context and label columns, no simulator column. A conditional TVAE learns the sensors given
/// where a row is in its life (<see cref="LifeCondition"/>), its failure mode and its context; generation draws a run
/// length per failure mode, a real run's label values, and a context path (<see cref="ContextChain"/>), decodes every
/// step at the latent's conditional mean, reads the decoder's expected values, adds what the condition explains of the
/// real data's departure from the decoder (a ridge regression: the decoder's misfit), and then the part nothing
/// explains, as a process fitted to the real runs (<see cref="ResidualProcess"/>: a per-unit offset, since real units
/// differ from their first row, and correlated within-run noise). Labels are exact by construction: rul counts the
/// rows to the run's last row. Runs censored in the real table (no failure) inform the transformer and the context, not
/// the network, since their remaining life is unknown.
/// </summary>
public sealed class RunTableSynthesizer : IRunSynthesizer
{
    internal RunTableSynthesizer(RunTableSpec spec, DataTransformer transformer, TvaeCheckpoint model, TvaeOptions options, string dataSha256, int rows)
    {
        Spec = spec;
        Transformer = transformer;
        Model = model;
        Options = options;
        DataSha256 = dataSha256;
        Rows = rows;
    }

    public RunTableSpec Spec { get; }
    public DataTransformer Transformer { get; }
    public TvaeCheckpoint Model { get; }
    public TvaeOptions Options { get; }
    public string DataSha256 { get; }
    public int Rows { get; }
    public string? FileSha256 { get; internal set; }
    public string MachineId => Spec.MachineId;
    public RunSkeletonModel Skeletons => Spec.Skeletons;
    public string ModelId => $"{Spec.MachineId}-{(FileSha256 ?? DataSha256)[..12]}";

    /// <summary>Fits the model to an imported machine's seed table (or the part of it kept for training).</summary>
    public static RunTableSynthesizer Fit(Table seed, MachineProfile profile, RunTableOptions? options = null,
        IProgress<EpochProgress>? progress = null, Action<RunTableSynthesizer>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new RunTableOptions();
        var schema = RunTableSchema.From(profile, seed);
        var runs = RunIndex.Of(seed)!;
        var censored = schema.CensoredRuns(seed, runs.Rows);
        var failureIds = FailureModeIds(profile, seed, schema, runs);
        var runFailure = runs.Rows.Select(run => FailureOf(seed, schema, run, failureIds)).ToArray();
        var failed = Enumerable.Range(0, runs.Count).Where(k => !censored[k] && runs.Rows[k].Length >= 2).ToList();
        if (failed.Count < 2) throw new ArgumentException($"Only {failed.Count} run(s) of two or more rows end in failure; the model needs at least two.", nameof(seed));

        var skeletons = RunSkeletonModel.ForLengths(failureIds.Select((id, m) =>
            (id, (IReadOnlyList<double>)failed.Where(k => runFailure[k] == m).Select(k => (double)runs.Rows[k].Length).ToList())).ToList());
        var signatures = RunSignatures.Fit(schema.Sensors.Select(c => seed[c].Numbers!).ToList(), failed.Select(k => runs.Rows[k]).ToList(),
            Math.Max(3, (int)Math.Round(SignatureEndShare * schema.RulCap)));
        var traits = failed.Select((k, t) => new RunTrait(runFailure[k], runs.Rows[k].Length, signatures[t],
            schema.Labels.Select(c => RunIndex.KeyOf(seed[c], runs.Rows[k][^1])).ToArray())).ToList();
        var context = ContextChain.Fit(seed, runs.Rows, schema.NumericContext, schema.CategoricalContext);
        var sensors = schema.Sensors.Select(name =>
        {
            var values = seed[name].Numbers!;
            return new NetworkSensorFit(name, values.Min(), values.Max(), ResidualProcess.PooledLag1(values, runs.Rows), double.NaN);
        }).ToList();
        string? notCensored = schema.CensoredColumn is { } column && failed.Count > 0 ? RunIndex.KeyOf(seed[column], runs.Rows[failed[0]][0]) : null;
        var spec = new RunTableSpec(RunTableSpec.CurrentFormatVersion, profile.MachineId ?? "imported", schema, skeletons, traits, signatures[0].Length, context, sensors,
            null, null, null, options.HeldOutRuns.ToList(), notCensored, Median(failed.Select(k => (double)runs.Rows[k].Length).ToList()))
        {
            Grids = schema.Sensors.Concat(schema.NumericContext)
                .Select(c => (c, Grid: ValueGrid.Detect(seed[c].Numbers!))).Where(g => g.Grid is not null).ToDictionary(g => g.c, g => g.Grid!),
        };

        var transformer = DataTransformer.Fit(seed.Select(schema.Sensors), [], options.Transformer, unchecked((int)options.Tvae.Seed))
            .WithBounds(sensors.ToDictionary(s => s.Name, s => (s.Min, s.Max)));
        cancellationToken.ThrowIfCancellationRequested();
        return Train(seed, spec, transformer, options.Tvae with { ConditionDim = spec.ConditionDim }, RunAwareSynthesizer.HashOf(seed), null,
            progress, onCheckpoint, cancellationToken);
    }

    /// <summary>Trains further, to <paramref name="totalEpochs"/> in all, from this model (a checkpoint or a finished model); the seed must be the one it was fitted on.</summary>
    public RunTableSynthesizer Continue(Table seed, int totalEpochs, IProgress<EpochProgress>? progress = null,
        Action<RunTableSynthesizer>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (RunAwareSynthesizer.HashOf(seed) != DataSha256) throw new ArgumentException("This is not the seed table the model was fitted on (its hash differs).", nameof(seed));
        var bare = Spec with { PriorWeights = null, MisfitWeights = null, Residuals = null };
        return Train(seed, bare, Transformer, Options with { Epochs = totalEpochs }, DataSha256, Model, progress, onCheckpoint, cancellationToken);
    }

    /// <summary>The end of life a run's signature looks at, as a share of the RUL cap.</summary>
    private const double SignatureEndShare = 0.2;

    /// <summary>Spread of the noise added to a borrowed signature (in its unit-variance scale), and of the log-length kernel that picks the run to borrow from.</summary>
    private const double SignatureJitter = 0.25, LengthBandwidth = 0.15;

    /// <summary>The training rows (rows of failed runs), their conditions and the runs in training-row numbering.</summary>
    private sealed record TrainingRows(int[] Rows, float[] Conditions, List<int[]> Runs);

    private static TrainingRows TrainingRowsOf(Table seed, RunTableSpec spec)
    {
        var runs = RunIndex.Of(seed)!;
        var censored = spec.Schema.CensoredRuns(seed, runs.Rows);
        var states = spec.Context.StatesOf(seed);
        var numeric = spec.Context.Numeric.Select(c => seed[c].Numbers!).ToArray();
        var rows = new List<int>();
        var trainingRuns = new List<int[]>();
        for (int k = 0; k < runs.Count; k++)
        {
            var run = runs.Rows[k];
            if (censored[k] || run.Length < 2) continue;
            trainingRuns.Add(Enumerable.Range(rows.Count, run.Length).ToArray());
            rows.AddRange(run);
        }
        int dim = spec.ConditionDim;
        var conditions = new float[(long)rows.Count * dim];
        if (trainingRuns.Count != spec.RunTraits.Count) throw new ArgumentException("The seed table's failed runs do not match the model's.", nameof(seed));
        for (int t = 0; t < trainingRuns.Count; t++)
        {
            var run = trainingRuns[t];
            var trait = spec.RunTraits[t];
            for (int i = 0; i < run.Length; i++)
            {
                int at = run[i], r = rows[at];
                LifeCondition.Write(spec, conditions.AsSpan(at * dim, dim), i, run.Length, trait.Signature, trait.FailureMode, states[r], c => numeric[c][r]);
            }
        }
        return new TrainingRows(rows.ToArray(), conditions, trainingRuns);
    }

    private static RunTableSynthesizer Train(Table seed, RunTableSpec spec, DataTransformer transformer, TvaeOptions tvaeOptions, string dataSha256,
        TvaeCheckpoint? resumeFrom, IProgress<EpochProgress>? progress, Action<RunTableSynthesizer>? onCheckpoint, CancellationToken ct)
    {
        var training = TrainingRowsOf(seed, spec);
        var table = seed.Take(training.Rows);
        int n = training.Rows.Length;
        var data = transformer.Transform(table.Select(spec.Schema.Sensors), unchecked((int)tvaeOptions.Seed));
        Action<TvaeCheckpoint>? checkpointer = onCheckpoint is null ? null
            : checkpoint => onCheckpoint(new RunTableSynthesizer(spec, transformer, checkpoint, tvaeOptions, dataSha256, seed.RowCount));
        var fit = TvaeTrainer.Fit(data, n, transformer.OutputSpans, tvaeOptions, progress, resumeFrom: resumeFrom, onCheckpoint: checkpointer,
            conditions: training.Conditions, cancellationToken: ct);
        var finished = Finish(spec, transformer, fit.Model, table, data, training, ct);
        var model = new RunTableSynthesizer(finished, transformer, fit.Model, tvaeOptions, dataSha256, seed.RowCount);
        var realValues = finished.Sensors.Select(s => table[s.Name].Numbers!).ToArray();
        var whitening = model.CalibrateWhitening(realValues, training.Runs, n, unchecked((ulong)tvaeOptions.Seed ^ 0x3417E1UL), ct);
        return new RunTableSynthesizer(finished with { Residuals = finished.Residuals! with { Whitening = whitening } }, transformer, fit.Model, tvaeOptions, dataSha256, seed.RowCount);
    }

    /// <summary>The latent prior, then the decoder's misfit, then the residual process, each fitted on the training rows.</summary>
    private static RunTableSpec Finish(RunTableSpec spec, DataTransformer transformer, TvaeCheckpoint model, Table table, float[] data, TrainingRows training, CancellationToken ct)
    {
        int n = training.Rows.Length, dim = spec.ConditionDim, p = LifeCondition.FeatureCount(spec), embedding = model.Architecture.EmbeddingDim;
        var conditions = training.Conditions;
        void Features(int r, double[] into) => LifeCondition.Features(spec, conditions.AsSpan(r * dim, dim), into);
        var means = LatentPrior.EncoderMeans(model, transformer.OutputSpans, data, conditions, n, ct);
        var prior = Ridge.Fit(n, p, embedding, Features, (r, e) => means[(long)r * embedding + e], RidgePerRow);
        spec = spec with { PriorWeights = prior };
        var expected = Expected(spec, transformer, model, conditions, n, ct);
        int sensors = spec.Sensors.Count;
        var values = spec.Sensors.Select(s => table[s.Name].Numbers!).ToArray();
        var misfit = Ridge.Fit(n, p, sensors, Features, (r, s) => values[s][r] - expected[s][r], RidgePerRow);
        spec = spec with { MisfitWeights = misfit };
        var residual = new double[sensors][];
        for (int s = 0; s < sensors; s++) residual[s] = new double[n];
        var features = new double[p];
        var explained = new double[sensors];
        for (int r = 0; r < n; r++)
        {
            Features(r, features);
            Ridge.Predict(misfit, features, explained);
            for (int s = 0; s < sensors; s++) residual[s][r] = values[s][r] - expected[s][r] - explained[s];
        }
        ct.ThrowIfCancellationRequested();
        var position = new double[n];
        for (int r = 0; r < n; r++) position[r] = conditions[(long)r * dim];
        var held = HeldSensors(values.Select(v => ResidualProcess.ChangingShare(v, training.Runs)).ToArray(), n, MaxHeldValues);
        var fit = ResidualProcess.Fit(residual, training.Runs, position, LifeCondition.Knots, ShapeWindow, held);
        return spec with
        {
            Residuals = fit.Process,
            RunTraits = spec.RunTraits.Select((t, k) => t with
            {
                NoiseScale = fit.RunScales[k], Line = fit.RunLines[k], Shape = fit.RunShapes[k], Held = held.Any(h => h) ? fit.RunHeld[k] : null,
            }).ToList(),
        };
    }

    /// <summary>
    /// A sensor whose reading changes at fewer than this share of steps holds its level (a coarse instrument, or one
    /// pinned at its top reading): a run resamples its real unit's own departures from the level
    /// (<see cref="ResidualProcess.Held"/>). On FD003 these are s6 (16 % of steps change) and s10 (3 %); over five folds their
    /// trend KS went from 0.824 and 0.824 to 0.903 and 0.864, and the smallest per fold from 0.781 to 0.825 (0.780 before
    /// this and <see cref="ResidualProcess.NoiseWindow"/>; on FD001, not tuned on, 0.720 to 0.883).
    /// </summary>
    private const double HeldChangingShare = 0.5;

    /// <summary>Most residual values the model file keeps for held sensors (one per held sensor and training row; about 12 MB of the manifest).</summary>
    internal const long MaxHeldValues = 1_000_000;

    /// <summary>
    /// The sensors to hold: those whose reading changes at fewer than <see cref="HeldChangingShare"/> of steps, the most
    /// steady first, as many as <paramref name="budget"/> values allow at <paramref name="rows"/> training rows each (the
    /// rest draw from the fitted law, as every sensor did before).
    /// </summary>
    internal static bool[] HeldSensors(double[] changingShare, int rows, long budget)
    {
        var held = new bool[changingShare.Length];
        long room = rows > 0 ? budget / rows : 0;
        foreach (int s in Enumerable.Range(0, changingShare.Length).Where(s => changingShare[s] < HeldChangingShare).OrderBy(s => changingShare[s]).Take((int)Math.Min(room, changingShare.Length)))
            held[s] = true;
        return held;
    }

    /// <summary>
    /// Half-width, as a share of a run's length, of the moving mean that takes each real run's shape about its line out of
    /// its noise (<see cref="ResidualProcess.Fit"/>): wide enough to leave the step-to-step noise, narrow enough to keep an
    /// end-of-life bend. On FD003's five folds the smallest per-run trend KS went from 0.754 to 0.780, on the fan's
    /// table (not tuned on) from 0.859 to 0.866 over four folds.
    /// </summary>
    private const double ShapeWindow = 0.1;

    /// <summary>Ridge penalty per row: keeps features no row has (a failure mode absent from the data) at zero.</summary>
    private const double RidgePerRow = 1e-4;

    /// <summary>The decoder's expected sensor values at the prior's mean latent, per sensor.</summary>
    private static double[][] Expected(RunTableSpec spec, DataTransformer transformer, TvaeCheckpoint model, float[] conditions, int rows, CancellationToken ct)
    {
        int dim = spec.ConditionDim, p = LifeCondition.FeatureCount(spec), embedding = model.Architecture.EmbeddingDim;
        var latent = new float[(long)rows * embedding];
        var weights = spec.PriorWeights!;
        Parallel.For(0, rows, () => (new double[p], new double[embedding]), (r, _, scratch) =>
        {
            LifeCondition.Features(spec, conditions.AsSpan(r * dim, dim), scratch.Item1);
            Ridge.Predict(weights, scratch.Item1, scratch.Item2);
            for (int e = 0; e < embedding; e++) latent[(long)r * embedding + e] = (float)scratch.Item2[e];
            return scratch;
        }, _ => { });
        var raw = ConditionalDecoder.Decode(model, rows, latent, conditions, ct);
        return ExpectedValues.Read(transformer, spec.Sensors, raw, rows);
    }

    /// <summary>Generates the planned runs, in plan order, with the imported table's columns (<see cref="RunTableSchema.OutputColumns"/>).</summary>
    public Table GenerateRuns(IReadOnlyList<PlannedRun> runs, ulong seed, CancellationToken cancellationToken = default)
    {
        if (!Spec.IsFinished) throw new InvalidOperationException("This is a training checkpoint, not a finished model: resume the training before generating.");
        var draft = Draft(runs, seed, parts: false, cancellationToken);
        return Assemble(runs, draft.Offsets, draft.Values[0].Length, draft.States, draft.Context, draft.Values, draft.LabelOf);
    }

    /// <summary>
    /// Sensor values of planned runs before snapping. With <paramref name="parts"/> the within-run residual is left out of
    /// <see cref="DraftRuns.Values"/> (unclamped) and returned as its correlated path and its white alternative.
    /// </summary>
    private DraftRuns Draft(IReadOnlyList<PlannedRun> runs, ulong seed, bool parts, CancellationToken cancellationToken)
    {
        var offsets = new int[runs.Count];
        long total = 0;
        for (int k = 0; k < runs.Count; k++) { offsets[k] = (int)total; total += runs[k].Skeleton.Length; }
        int dim = Spec.ConditionDim;
        if (total * Math.Max(dim, Model.Architecture.DataDim) > int.MaxValue) throw new ArgumentException("Too many rows for one generation batch.", nameof(runs));
        int rows = (int)total, sensors = Spec.Sensors.Count;
        var conditions = new float[(long)rows * dim];
        var states = new int[rows];
        var context = Spec.Context.Numeric.Select(_ => new double[rows]).ToArray();
        var residual = Spec.Sensors.Select(_ => new double[rows]).ToArray();
        var path = parts ? Spec.Sensors.Select(_ => new double[rows]).ToArray() : null;
        var white = parts ? Spec.Sensors.Select(_ => new double[rows]).ToArray() : null;
        var labelOf = new int[runs.Count];
        // Every run draws from its own stream: the output does not depend on scheduling.
        Parallel.For(0, runs.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            var run = runs[k];
            var random = new Xoshiro256(SplitMix64.ForRun(seed, run.Index, attempt: 1));
            int offset = offsets[k], n = run.Skeleton.Length, failure = run.Skeleton.FailureMode;
            int borrowed = labelOf[k] = Borrow(failure, n, random);
            var signature = new double[Spec.SignatureDim];
            for (int j = 0; j < signature.Length; j++) signature[j] = Spec.RunTraits[borrowed].Signature[j] + SignatureJitter * random.NextNormal();
            var (runStates, runContext) = Spec.Context.Simulate(n, random);
            runStates.CopyTo(states, offset);
            for (int c = 0; c < runContext.Length; c++) runContext[c].CopyTo(context[c], offset);
            double cap = Spec.Schema.RulCap;
            // The white noise has its own stream, and models from before whitening existed draw none (their output is unchanged).
            var whiteRandom = parts || Spec.Residuals!.Whitening is not null ? new Xoshiro256(SplitMix64.ForRun(seed, run.Index, attempt: 3)) : null;
            var unit = Spec.RunTraits[borrowed];
            Spec.Residuals!.DrawParts(n, random, whiteRandom, residual, path, white, offset, i => Math.Min(n - 1 - i, cap) / cap,
                new BorrowedUnit(unit.NoiseScale, unit.Line, unit.Shape, unit.Held));
            for (int i = 0; i < n; i++)
                LifeCondition.Write(Spec, conditions.AsSpan((offset + i) * dim, dim), i, n, signature, failure, runStates[i], c => runContext[c][i]);
        });
        var expected = Expected(Spec, Transformer, Model, conditions, rows, cancellationToken);
        var values = new double[sensors][];
        for (int s = 0; s < sensors; s++) values[s] = new double[rows];
        int p = LifeCondition.FeatureCount(Spec);
        Parallel.For(0, rows, () => (new double[p], new double[sensors]), (r, _, scratch) =>
        {
            LifeCondition.Features(Spec, conditions.AsSpan(r * dim, dim), scratch.Item1);
            Ridge.Predict(Spec.MisfitWeights!, scratch.Item1, scratch.Item2);
            for (int s = 0; s < sensors; s++)
            {
                double value = expected[s][r] + scratch.Item2[s] + residual[s][r];
                values[s][r] = parts ? value : Math.Clamp(value, Spec.Sensors[s].Min, Spec.Sensors[s].Max);
            }
            return scratch;
        }, _ => { });
        return new DraftRuns(offsets, states, context, values, labelOf, path, white);
    }

    private sealed record DraftRuns(int[] Offsets, int[] States, double[][] Context, double[][] Values, int[] LabelOf, double[][]? Path, double[][]? White);

    /// <summary>
    /// Per sensor, the share of the within-run part drawn as white noise (<see cref="ResidualProcess.Whitening"/>) so that
    /// the pooled lag-1 autocorrelation of generated runs, snapped to the recording grid as the output is, is the real
    /// runs' (bisection; the autocorrelation falls as the share rises). A sensor already no more autocorrelated than the
    /// real one keeps its path: whitening only ever lowers it.
    /// </summary>
    private double[] CalibrateWhitening(double[][] realValues, IReadOnlyList<int[]> realRuns, int rows, ulong seed, CancellationToken ct)
    {
        var plan = SplitPlanner.Plan(Spec.Skeletons, new SplitRequest { TrainRows = Math.Max(rows, 1), ValRows = 0, TestRows = 0, Seed = seed });
        var draft = Draft(plan, seed, parts: true, ct);
        var runRows = plan.Select((run, k) => Enumerable.Range(draft.Offsets[k], run.Skeleton.Length).ToArray()).ToList();
        var shares = new double[Spec.Sensors.Count];
        Parallel.For(0, shares.Length, new ParallelOptions { CancellationToken = ct }, s =>
        {
            var fit = Spec.Sensors[s];
            Spec.Grids.TryGetValue(fit.Name, out var grid);
            var mixed = new double[draft.Values[s].Length];
            double LagAt(double w)
            {
                double a = Math.Sqrt(1 - w), b = Math.Sqrt(w);
                for (int r = 0; r < mixed.Length; r++)
                {
                    double v = Math.Clamp(draft.Values[s][r] + a * draft.Path![s][r] + b * draft.White![s][r], fit.Min, fit.Max);
                    mixed[r] = grid is null ? v : grid.Snap(v);
                }
                return ResidualProcess.PooledLag1(mixed, runRows);
            }
            if (Spec.Residuals!.Held?[s] == true) return; // resampled: no noise to whiten
            double target = ResidualProcess.PooledLag1(realValues[s], realRuns);
            if (!double.IsFinite(target) || !(LagAt(0) > target + WhiteningTolerance)) return;
            if (LagAt(1) >= target) { shares[s] = 1; return; }
            double low = 0, high = 1;
            for (int iteration = 0; iteration < 12; iteration++)
            {
                double middle = (low + high) / 2;
                if (LagAt(middle) > target) low = middle; else high = middle;
            }
            shares[s] = (low + high) / 2;
        });
        return shares;
    }

    /// <summary>Lag-1 excess left as it is (within the sampling noise of the calibration draft).</summary>
    private const double WhiteningTolerance = 0.01;

    /// <summary>A real run of the failure mode to borrow a signature and labels from, picked by a kernel on log length so traits that go with long or short lives stay with them.</summary>
    private int Borrow(int failureMode, int length, Xoshiro256 random)
    {
        var traits = Spec.RunTraits;
        double total = 0;
        var weights = new double[traits.Count];
        for (int t = 0; t < traits.Count; t++)
        {
            if (traits[t].FailureMode != failureMode) continue;
            double d = Math.Log((double)length / traits[t].Length) / LengthBandwidth;
            total += weights[t] = Math.Exp(-0.5 * d * d) + 1e-12;
        }
        if (!(total > 0)) throw new InvalidOperationException($"The model has no real run of failure mode '{Spec.Skeletons.FailureModes[failureMode].Id}'.");
        double u = random.NextDouble() * total;
        for (int t = 0; t < traits.Count; t++)
        {
            u -= weights[t];
            if (u < 0 && weights[t] > 0) return t;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }

    /// <summary>The output table: the imported table's own columns under their names, with new run ids, steps and exact labels.</summary>
    private Table Assemble(IReadOnlyList<PlannedRun> runs, int[] offsets, int rows, int[] states, double[][] context, double[][] sensors, int[] labelOf)
    {
        var schema = Spec.Schema;
        var runId = new double[rows];
        var step = new double[rows];
        var rul = new double[rows];
        var rulCapped = new double[rows];
        var labelValues = schema.Labels.Select(_ => new string?[rows]).ToArray();
        for (int k = 0; k < runs.Count; k++)
        {
            int n = runs[k].Skeleton.Length;
            var tuple = Spec.RunTraits[labelOf[k]].Labels;
            for (int i = 0; i < n; i++)
            {
                int r = offsets[k] + i;
                runId[r] = runs[k].RunId;
                step[r] = i;
                rul[r] = n - 1 - i;
                rulCapped[r] = Math.Min(rul[r], schema.RulCap);
                for (int l = 0; l < labelValues.Length; l++)
                    labelValues[l][r] = tuple[l];
            }
        }
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal)
        {
            [ImportedColumns.RunId] = Column.Numeric(ImportedColumns.RunId, runId, isInteger: true),
            [ImportedColumns.Step] = Column.Numeric(ImportedColumns.Step, step, isInteger: true),
            [ImportedColumns.Rul] = Column.Numeric(ImportedColumns.Rul, rul, isInteger: true),
            [ImportedColumns.RulCapped] = Column.Numeric(ImportedColumns.RulCapped, rulCapped),
        };
        if (schema.OrderColumn is { } order)
        {
            var values = new double[rows];
            for (int r = 0; r < rows; r++) values[r] = schema.OrderStart + step[r] * schema.OrderStep;
            columns[order] = schema.DateTimeColumns.Contains(order) ? Column.DateTime(order, values)
                : Column.Numeric(order, values, isInteger: schema.OrderKind == "counter");
        }
        for (int s = 0; s < Spec.Sensors.Count; s++) columns[Spec.Sensors[s].Name] = Snapped(Spec.Sensors[s].Name, sensors[s]);
        for (int c = 0; c < Spec.Context.Numeric.Count; c++) columns[Spec.Context.Numeric[c]] = Snapped(Spec.Context.Numeric[c], context[c]);
        for (int c = 0; c < Spec.Context.Categorical.Count; c++)
            columns[Spec.Context.Categorical[c]] = Typed(Spec.Context.Categorical[c], states.Select(s => Spec.Context.States[s].Categories[c]).ToArray());
        for (int l = 0; l < schema.Labels.Count; l++) columns[schema.Labels[l]] = Typed(schema.Labels[l], labelValues[l]);
        foreach (var (name, value) in schema.Constants) columns[name] = Typed(name, Enumerable.Repeat<string?>(value, rows).ToArray());
        if (schema.CensoredColumn is { } censored && !columns.ContainsKey(censored))
            columns[censored] = Typed(censored, Enumerable.Repeat(Spec.NotCensoredValue, rows).ToArray());
        var missing = schema.OutputColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"The model has no way to generate column(s) {string.Join(", ", missing)}.");
        return new Table(schema.OutputColumns.Select(name => columns[name]));
    }

    /// <summary>A numeric column on its recording grid, when it has one (the values are snapped in place).</summary>
    private Column Snapped(string name, double[] values)
    {
        if (Spec.Grids.TryGetValue(name, out var grid))
            for (int r = 0; r < values.Length; r++) values[r] = grid.Snap(values[r]);
        return Column.Numeric(name, values, grid is { Decimals: 0 });
    }

    /// <summary>A column of text values, written back as numbers when the imported column held numbers.</summary>
    private Column Typed(string name, string?[] values)
    {
        if (!Spec.Schema.NumericColumns.Contains(name)) return Column.Categorical(name, values);
        var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN).ToArray();
        return Spec.Schema.DateTimeColumns.Contains(name) ? Column.DateTime(name, numbers) : Column.Numeric(name, numbers, numbers.All(x => double.IsNaN(x) || x == Math.Round(x)));
    }

    /// <summary>The failure modes in profile order, or in order of first appearance in the failure-mode column.</summary>
    private static List<string> FailureModeIds(MachineProfile profile, Table seed, RunTableSchema schema, RunIndex runs)
    {
        var ids = (profile.FailureModes ?? []).Select(f => f.Id).OfType<string>().ToList();
        if (schema.FailureModeColumn is { } column)
            foreach (var run in runs.Rows)
            {
                string id = RunIndex.KeyOf(seed[column], run[^1]);
                if (!ids.Contains(id)) ids.Add(id);
            }
        if (ids.Count == 0) ids.Add(RunTableSchema.UnknownFailureMode);
        return ids;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static int FailureOf(Table seed, RunTableSchema schema, int[] run, IReadOnlyList<string> ids)
    {
        if (schema.FailureModeColumn is not { } column) return ids.ToList().IndexOf(RunTableSchema.UnknownFailureMode) is >= 0 and var unknown ? unknown : 0;
        return ids.ToList().IndexOf(RunIndex.KeyOf(seed[column], run[^1]));
    }
}
