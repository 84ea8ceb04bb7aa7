using System.Security.Cryptography;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunAware;

/// <summary>Settings of a run-aware fit: the TVAE's (its ConditionDim is set by the fit) and the calibration size.</summary>
public sealed record RunAwareOptions
{
    public TvaeOptions Tvae { get; init; } = new();
    public TransformerOptions Transformer { get; init; } = new();
    /// <summary>Rows of synthetic runs made after training to calibrate each sensor's noise scale.</summary>
    public int CalibrationRows { get; init; } = 20_000;
}

/// <summary>
/// The run-aware TVAE (tvae.md section 8): a conditional TVAE over the degradation-driven sensors whose encoder and
/// decoder see a condition vector (degradation D = 1 - health index, failure-mode and operating-mode one-hots, and the
/// context sensors), plus run skeletons and context AR(1) processes fitted to the seed runs. Generation draws a
/// skeleton per run, simulates its context sensors, decodes every step at the latent's conditional mean
/// (<see cref="LatentPrior"/>), reads the expected value from the decoder's component probabilities
/// (<see cref="ExpectedValues"/>), adds a per-sensor AR(1) residual (the part of the seed's departure from the decoder
/// that the condition cannot explain, its coefficient calibrated to the seed's lag-1), and writes labels that are exact
/// by construction (see <see cref="RunLabels"/>). Rare degradation conditions are repeated in training
/// (<see cref="RareConditions"/>).
/// Departures from the note's design: D replaces the life fraction step/(L-1) as condition (given D the seed's sensors
/// do not depend on the life fraction, and feeding it leaked the remaining life into synthetic sensors: a regressor
/// trained on them failed on real runs), and instead of one latent AR(1) path each sensor has its own residual process.
/// </summary>
public sealed class RunAwareSynthesizer : IRunSynthesizer
{
    internal RunAwareSynthesizer(RunAwareSpec spec, DataTransformer transformer, TvaeCheckpoint model, TvaeOptions options, string dataSha256, int rows)
    {
        Spec = spec;
        Transformer = transformer;
        Model = model;
        Options = options;
        DataSha256 = dataSha256;
        Rows = rows;
    }

    public RunAwareSpec Spec { get; }
    public DataTransformer Transformer { get; }
    public TvaeCheckpoint Model { get; }
    public TvaeOptions Options { get; }
    /// <summary>SHA-256 of the seed table the model was fitted on.</summary>
    public string DataSha256 { get; }
    /// <summary>Seed rows the model was fitted on.</summary>
    public int Rows { get; }
    /// <summary>SHA-256 of the model file this instance was saved to or loaded from; null before it is saved.</summary>
    public string? FileSha256 { get; internal set; }

    public string MachineId => Spec.MachineId;
    public RunSkeletonModel Skeletons => Spec.Skeletons;

    /// <summary>A stable id: the machine and the first 12 hex digits of the model file's hash.</summary>
    public string ModelId => $"{Spec.MachineId}-{(FileSha256 ?? DataSha256)[..12]}";

    /// <summary>True when a table has what the run-aware mode needs (otherwise the plain TVAE is the path).</summary>
    public static bool Supports(Table table) =>
        RunColumns.IsRunTable(table) && table.Has(SeedColumns.HealthIndex) && table.Has(SeedColumns.LoadFraction);

    /// <param name="onCheckpoint">
    /// Receives a partial model every <see cref="TvaeOptions.CheckpointEvery"/> epochs: saveable with
    /// <see cref="RunAwareModelFile"/>, able to generate (its noise is not calibrated yet, <see cref="IsCalibrated"/>),
    /// and resumable with <see cref="Continue"/>.
    /// </param>
    public static RunAwareSynthesizer Fit(
        Table seed, MachineProfile profile, RunAwareOptions? options = null,
        IProgress<EpochProgress>? progress = null, Action<RunAwareSynthesizer>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        options ??= new RunAwareOptions();
        if (!Supports(seed))
            throw new ArgumentException("Run-aware training needs run_id, step, operating_mode, load_fraction, health_index and failure_mode columns; use the plain TVAE for other tables.", nameof(seed));
        var physics = MachinePhysics.From(profile);
        var expected = SeedColumns.For(physics);
        var unknown = seed.ColumnNames.Where(c => !expected.Contains(c)).ToList();
        var missing = expected.Where(c => !seed.Has(c)).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
            throw new ArgumentException($"The seed table does not match the profile: missing [{string.Join(", ", missing)}], unknown [{string.Join(", ", unknown)}].", nameof(seed));

        var modeNames = physics.Modes.Select(m => m.Name).ToArray();
        var skeletons = RunSkeletonModel.Fit(seed, physics.FailureModes.Select(f => f.Id).ToArray(), modeNames);
        var context = physics.Sensors.Where(s => s.IsContext)
            .Select(s => ContextSensorFit.Fit(seed, s.Name, modeNames, s.RangeMin, s.RangeMax)).ToArray();
        var sensors = physics.Sensors.Where(s => !s.IsContext).ToArray();
        var runs = RunIndex.Of(seed)!;
        var seedLag1 = sensors.Select(s => Lag1(seed[s.Name].Numbers!, runs.Rows)).ToArray();

        var provisional = new RunAwareSpec(RunAwareSpec.CurrentFormatVersion, physics.MachineId, seed.ColumnNames.ToArray(),
            RunLabelSpec.From(physics), skeletons, context,
            sensors.Select((s, i) => new NetworkSensorFit(s.Name, s.RangeMin, s.RangeMax, seedLag1[i], double.NaN)).ToArray())
        {
            CalibrationRows = options.CalibrationRows,
        };

        var copies = RareConditions.Copies(provisional, SeedConditions(seed, runs, provisional), seed.RowCount);
        var sensorTable = seed.Select(sensors.Select(s => s.Name)).Take(RareConditions.RepeatedRows(copies));
        var transformer = DataTransformer.Fit(sensorTable, [], options.Transformer, TransformerSeed(options.Tvae))
            .WithBounds(sensors.ToDictionary(s => s.Name, s => (s.RangeMin, s.RangeMax)));
        cancellationToken.ThrowIfCancellationRequested();
        var tvaeOptions = options.Tvae with { ConditionDim = provisional.ConditionDim };
        return Train(seed, provisional, transformer, tvaeOptions, HashOf(seed), null, progress, onCheckpoint, cancellationToken);
    }

    /// <summary>
    /// Trains further, to <paramref name="totalEpochs"/> in all, from this model (a checkpoint or a finished model),
    /// exactly as if the first fit had asked for that many epochs, then calibrates the noise as a fit does. The seed
    /// must be the table the model was fitted on (checked by hash).
    /// </summary>
    public RunAwareSynthesizer Continue(Table seed, int totalEpochs, IProgress<EpochProgress>? progress = null,
        Action<RunAwareSynthesizer>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (HashOf(seed) != DataSha256) throw new ArgumentException("This is not the seed table the model was fitted on (its hash differs).", nameof(seed));
        var provisional = Spec with { Sensors = Spec.Sensors.Select(s => s with { CalibratedLag1 = double.NaN }).ToArray(), EndOfLife = null };
        return Train(seed, provisional, Transformer, Options with { Epochs = totalEpochs }, DataSha256, Model, progress, onCheckpoint, cancellationToken);
    }

    /// <summary>True once the residual coefficients have been calibrated to the seed's lag-1 (a finished fit); false for a training checkpoint.</summary>
    public bool IsCalibrated => Spec.Sensors.All(s => double.IsFinite(s.CalibratedLag1));

    /// <summary>Trains (from scratch or from <paramref name="resumeFrom"/>) and calibrates the noise scales.</summary>
    private static RunAwareSynthesizer Train(Table seed, RunAwareSpec provisional, DataTransformer transformer, TvaeOptions tvaeOptions, string dataSha256,
        TvaeCheckpoint? resumeFrom, IProgress<EpochProgress>? progress, Action<RunAwareSynthesizer>? onCheckpoint, CancellationToken cancellationToken)
    {
        var runs = RunIndex.Of(seed)!;
        var data = transformer.Transform(seed.Select(provisional.Sensors.Select(s => s.Name)), TransformerSeed(tvaeOptions));
        var conditions = SeedConditions(seed, runs, provisional);
        RunAwareSynthesizer WithResiduals(TvaeCheckpoint checkpoint)
        {
            var prior = LatentPrior.Fit(provisional, checkpoint, transformer.OutputSpans, data, conditions, seed.RowCount, cancellationToken);
            var bare = new RunAwareSynthesizer(provisional with { Prior = prior }, transformer, checkpoint, tvaeOptions, dataSha256, seed.RowCount);
            var residuals = bare.FitResiduals(seed, runs, conditions, cancellationToken);
            var spec = bare.Spec with { Sensors = provisional.Sensors.Select((s, i) => s with { ResidualStd = residuals[i].Std, ResidualPhi = residuals[i].Phi }).ToArray() };
            return new RunAwareSynthesizer(spec, transformer, checkpoint, tvaeOptions, dataSha256, seed.RowCount);
        }
        Action<TvaeCheckpoint>? checkpointer = onCheckpoint is null ? null : checkpoint => onCheckpoint(WithResiduals(checkpoint));
        var training = RareConditions.Repeat(data, transformer.OutputDimensions, conditions, provisional.ConditionDim,
            RareConditions.Copies(provisional, conditions, seed.RowCount));
        var fit = TvaeTrainer.Fit(training.Data, training.Rows, transformer.OutputSpans, tvaeOptions, progress,
            resumeFrom: resumeFrom, onCheckpoint: checkpointer, conditions: training.Conditions, cancellationToken: cancellationToken);

        var untuned = WithResiduals(fit.Model);
        provisional = untuned.Spec;
        var scales = untuned.CalibrateNoise(provisional.CalibrationRows, unchecked((ulong)tvaeOptions.Seed) ^ 0xCA11B8A7E, cancellationToken);
        var spec = provisional with { Sensors = provisional.Sensors.Select((s, i) => s with { ResidualPhi = scales[i].Phi, CalibratedLag1 = scales[i].Lag1 }).ToArray() };
        var calibrated = new RunAwareSynthesizer(spec, transformer, fit.Model, tvaeOptions, dataSha256, seed.RowCount);
        var endOfLife = calibrated.CalibrateEndOfLife(seed, runs, Math.Max(provisional.CalibrationRows, 2 * seed.RowCount),
            unchecked((ulong)tvaeOptions.Seed) ^ 0xE0F11FE, cancellationToken);
        return new RunAwareSynthesizer(spec with { EndOfLife = endOfLife }, transformer, fit.Model, tvaeOptions, dataSha256, seed.RowCount);
    }

    private static int TransformerSeed(TvaeOptions options) => unchecked((int)options.Seed);

    /// <summary>
    /// Fits the end-of-life maps: the tail values (last 10 % of steps) of freshly generated runs, as generated before the
    /// maps, against the seed runs' tail values, per failure mode, sensor and tail bucket (<see cref="EndOfLifeTail"/>).
    /// </summary>
    private IReadOnlyList<EndOfLifeMap> CalibrateEndOfLife(Table seed, RunIndex runs, int rows, ulong seedValue, CancellationToken ct)
    {
        int failureModes = Spec.Skeletons.FailureModes.Count, sensors = Spec.Sensors.Count;
        var failureIds = Spec.Skeletons.FailureModes.Select(f => f.Id).ToList();
        var real = new EndOfLifeTail.Collector(failureModes, sensors);
        var failure = seed[SeedColumns.FailureMode].Labels!;
        var seedValues = Spec.Sensors.Select(s => seed[s.Name].Numbers!).ToArray();
        foreach (var run in runs.Rows)
            real.Add(failureIds.IndexOf(failure[run[^1]] ?? ""), run.Length, (s, i) => seedValues[s][run[i]]);

        var plan = SplitPlanner.Plan(Spec.Skeletons, new SplitRequest { TrainRows = Math.Max(rows, 1), ValRows = 0, TestRows = 0, Seed = seedValue });
        var draft = Draft(plan, seedValue, ct);
        var values = Enumerable.Range(0, sensors).Select(s => draft.Sample[s].Select(v => Math.Clamp(v, Spec.Sensors[s].Min, Spec.Sensors[s].Max)).ToArray()).ToArray();
        var smooth = new EndOfLifeTail.Collector(failureModes, sensors);
        for (int k = 0; k < plan.Count; k++)
        {
            int offset = draft.Offsets[k];
            smooth.Add(plan[k].Skeleton.FailureMode, plan[k].Skeleton.Length, (s, i) => values[s][offset + i]);
        }
        // The maps are fitted to the tails as generation makes them: roughened first, then mapped.
        var roughening = EndOfLifeTail.Roughening(smooth, real, failureModes, sensors);
        var generated = new EndOfLifeTail.Collector(failureModes, sensors);
        for (int k = 0; k < plan.Count; k++)
        {
            int offset = draft.Offsets[k], n = plan[k].Skeleton.Length, f = plan[k].Skeleton.FailureMode;
            var random = TailRandom(seedValue, plan[k]);
            for (int s = 0; s < sensors; s++)
                EndOfLifeTail.Roughen(values[s], offset, n, roughening[f, s], random);
            generated.Add(f, n, (s, i) => Math.Clamp(values[s][offset + i], Spec.Sensors[s].Min, Spec.Sensors[s].Max));
        }
        return EndOfLifeTail.Fit(generated, real, failureModes, sensors).Select(m => m with { Roughening = roughening[m.FailureMode, m.Sensor] }).ToList();
    }

    /// <summary>The stream of one run's end-of-life roughening (apart from the stream its draft used).</summary>
    private static Xoshiro256 TailRandom(ulong seed, PlannedRun run) => new(SplitMix64.ForRun(seed, run.Index, attempt: 2));

    /// <summary>Applies the end-of-life maps to the last steps of one generated run (values already clamped to range).</summary>
    private void MapEndOfLife(double[][] sensorValues, RunSkeleton run, int offset, Xoshiro256 random)
    {
        if (Spec.EndOfLife is not { Count: > 0 } maps) return;
        int n = run.Length;
        foreach (var map in maps)
        {
            if (map.FailureMode != run.FailureMode) continue;
            var fit = Spec.Sensors[map.Sensor];
            var values = sensorValues[map.Sensor];
            EndOfLifeTail.Roughen(values, offset, n, map.Roughening, random);
            for (int i = Math.Max(0, n - 1 - (int)Math.Ceiling(EndOfLifeTail.TailFraction * n)); i < n; i++)
            {
                int bucket = EndOfLifeTail.BucketOf(i, n);
                if (bucket < 0 || map.Generated[bucket] is not { } generated || map.Seed[bucket] is not { } real) continue;
                values[offset + i] = Math.Clamp(EndOfLifeTail.Map(values[offset + i], generated, real), fit.Min, fit.Max);
            }
        }
    }

    /// <summary>Generates the planned runs, in plan order, with the seed's columns.</summary>
    public Table GenerateRuns(IReadOnlyList<PlannedRun> runs, ulong seed, CancellationToken cancellationToken = default)
    {
        var draft = Draft(runs, seed, cancellationToken);
        int rows = draft.Rows;
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        var labels = new LabelColumns(rows);
        var runId = new double[rows];
        var mode = new string?[rows];
        var load = new double[rows];
        var failure = new string?[rows];
        var modeFits = Spec.Skeletons.OperatingModes;
        var sensorValues = new double[Spec.Sensors.Count][];
        for (int s = 0; s < Spec.Sensors.Count; s++)
        {
            var fit = Spec.Sensors[s];
            var values = sensorValues[s] = new double[rows];
            var expected = draft.Expected[s];
            var sample = draft.Sample[s];
            for (int r = 0; r < rows; r++) values[r] = Math.Clamp(sample[r], fit.Min, fit.Max);
        }
        var criterionIndex = Spec.Labels.Criteria.Select(c => Spec.Sensors.ToList().FindIndex(s => s.Name == c.Sensor)).ToArray();
        for (int k = 0; k < runs.Count; k++)
        {
            var run = runs[k];
            int offset = draft.Offsets[k], n = run.Skeleton.Length;
            int criterion = criterionIndex[run.Skeleton.FailureMode];
            var expectedCriterion = criterion >= 0 ? draft.Expected[criterion].AsSpan(offset, n) : ReadOnlySpan<double>.Empty;
            RunLabels.Fill(Spec.Labels, run.Skeleton, expectedCriterion, labels, offset);
            MapEndOfLife(sensorValues, run.Skeleton, offset, TailRandom(seed, run));
            string failureId = Spec.Skeletons.FailureModes[run.Skeleton.FailureMode].Id;
            for (int i = 0; i < n; i++)
            {
                int r = offset + i;
                runId[r] = run.RunId;
                var m = modeFits[run.Skeleton.Modes[i]];
                mode[r] = m.Name;
                load[r] = m.LoadFraction;
                failure[r] = failureId;
            }
        }
        columns[SeedColumns.RunId] = Column.Numeric(SeedColumns.RunId, runId, isInteger: true);
        columns[SeedColumns.Step] = Column.Numeric(SeedColumns.Step, labels.Step, isInteger: true);
        columns[SeedColumns.Timestamp] = Column.DateTime(SeedColumns.Timestamp, labels.Timestamp);
        columns[SeedColumns.OperatingHours] = Column.Numeric(SeedColumns.OperatingHours, labels.OperatingHours);
        columns[SeedColumns.OperatingMode] = Column.Categorical(SeedColumns.OperatingMode, mode);
        columns[SeedColumns.LoadFraction] = Column.Numeric(SeedColumns.LoadFraction, load);
        for (int s = 0; s < Spec.Sensors.Count; s++) columns[Spec.Sensors[s].Name] = Column.Numeric(Spec.Sensors[s].Name, sensorValues[s]);
        for (int c = 0; c < Spec.Context.Count; c++) columns[Spec.Context[c].Name] = Column.Numeric(Spec.Context[c].Name, draft.Context[c]);
        columns[SeedColumns.HealthIndex] = Column.Numeric(SeedColumns.HealthIndex, labels.HealthIndex);
        columns[SeedColumns.HealthState] = Column.Categorical(SeedColumns.HealthState, labels.HealthState);
        columns[SeedColumns.FailureMode] = Column.Categorical(SeedColumns.FailureMode, failure);
        columns[SeedColumns.Rul] = Column.Numeric(SeedColumns.Rul, labels.Rul);
        columns[SeedColumns.RulCapped] = Column.Numeric(SeedColumns.RulCapped, labels.RulCapped);
        return new Table(Spec.Columns.Select(name => columns[name]));
    }

    /// <summary>Runs generated before noise scaling and labels: per network sensor the expected and the sampled values.</summary>
    private sealed record DraftRuns(int Rows, int[] Offsets, double[][] Context, double[][] Expected, double[][] Sample);

    private DraftRuns Draft(IReadOnlyList<PlannedRun> runs, ulong seed, CancellationToken ct)
    {
        var offsets = new int[runs.Count];
        long total = 0;
        for (int k = 0; k < runs.Count; k++) { offsets[k] = (int)total; total += runs[k].Skeleton.Length; }
        if (total > int.MaxValue / Math.Max(Model.Architecture.DataDim, Spec.ConditionDim)) throw new ArgumentException("Too many rows for one generation batch.", nameof(runs));
        int rows = (int)total;
        int conditionDim = Spec.ConditionDim;
        var context = Spec.Context.Select(_ => new double[rows]).ToArray();
        var residuals = Spec.Sensors.Select(_ => new double[rows]).ToArray();
        var conditions = new float[(long)rows * conditionDim];
        // Every run draws from its own stream: the output does not depend on scheduling.
        Parallel.For(0, runs.Count, new ParallelOptions { CancellationToken = ct }, k =>
        {
            var run = runs[k];
            var random = new Xoshiro256(SplitMix64.ForRun(seed, run.Index, attempt: 1));
            int offset = offsets[k], n = run.Skeleton.Length;
            for (int c = 0; c < Spec.Context.Count; c++) Spec.Context[c].Simulate(run.Skeleton.Modes, random).CopyTo(context[c], offset);
            for (int s = 0; s < Spec.Sensors.Count; s++)
            {
                var fit = Spec.Sensors[s];
                double std = double.IsFinite(fit.ResidualStd) ? fit.ResidualStd : 0, phi = double.IsFinite(fit.ResidualPhi) ? fit.ResidualPhi : 0;
                double innovation = std * Math.Sqrt(1 - phi * phi), residual = std * random.NextNormal();
                var into = residuals[s].AsSpan(offset, n);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) residual = phi * residual + innovation * random.NextNormal();
                    into[i] = residual;
                }
            }
            for (int i = 0; i < n; i++)
                WriteCondition(Spec, conditions.AsSpan((offset + i) * conditionDim, conditionDim), i, n, run.Skeleton.Degradation[i],
                    run.Skeleton.FailureMode, run.Skeleton.Modes[i], c => context[c][offset + i]);
        });
        var mean = ConditionalDecoder.Decode(Model, rows, Spec.Prior?.Mean(Spec, conditions, rows), conditions, ct);
        var expected = ExpectedValues.Read(Transformer, Spec.Sensors, mean, rows);
        var sample = new double[Spec.Sensors.Count][];
        for (int s = 0; s < sample.Length; s++)
        {
            var values = sample[s] = new double[rows];
            var unit = residuals[s];
            for (int r = 0; r < rows; r++) values[r] = expected[s][r] + unit[r];
        }
        return new DraftRuns(rows, offsets, context, expected, sample);
    }

    private static void WriteCondition(RunAwareSpec spec, Span<float> into, int step, int length, double degradation, int failureMode, int mode, Func<int, double> context)
    {
        into.Clear();
        // No life fraction step/(L-1): given D the seed's sensors do not depend on it, and a decoder fed it leaks the
        // run's remaining life into healthy-phase sensor values (a regressor trained on such runs fails on real ones).
        into[0] = (float)Math.Min(degradation, 1);
        int at = 1;
        if (failureMode >= 0) into[at + failureMode] = 1f;
        at += spec.Skeletons.FailureModes.Count;
        if (mode >= 0) into[at + mode] = 1f;
        at += spec.Skeletons.OperatingModes.Count;
        for (int c = 0; c < spec.Context.Count; c++)
        {
            var fit = spec.Context[c];
            into[at + c] = (float)((context(c) - fit.Mean) / (fit.Std > 0 ? fit.Std : 1));
        }
    }

    private static float[] SeedConditions(Table seed, RunIndex runs, RunAwareSpec spec)
    {
        var failureIds = spec.Skeletons.FailureModes.Select(f => f.Id).ToList();
        var modeIds = ContextSensorFit.ModeIndices(seed, spec.Skeletons.OperatingModes.Select(m => m.Name).ToArray());
        var failure = seed[SeedColumns.FailureMode].Labels!;
        var health = seed[SeedColumns.HealthIndex].Numbers!;
        var context = spec.Context.Select(c => seed[c.Name].Numbers!).ToArray();
        int dim = spec.ConditionDim;
        var conditions = new float[(long)seed.RowCount * dim];
        foreach (var run in runs.Rows)
        {
            int f = failureIds.IndexOf(failure[run[^1]] ?? "");
            for (int i = 0; i < run.Length; i++)
            {
                int r = run[i];
                WriteCondition(spec, conditions.AsSpan(r * dim, dim), i, run.Length, 1 - health[r], f, modeIds[r], c => context[c][r]);
            }
        }
        return conditions;
    }

    /// <summary>
    /// Per sensor, the seed's departure from the decoder's expected value under the seed rows' own conditions, less
    /// what the condition explains of it: its spread and its pooled within-run lag-1 correlation. Generation adds an AR(1) path with these to the expected
    /// value, so synthetic runs keep the seed's unexplained run-to-run and step-to-step variation (slow walks included),
    /// which the decoder's white sample noise, scaled to match autocorrelation alone, did not: a regressor trained on
    /// those runs trusted the sensors far more than real data allows.
    /// </summary>
    private (double Std, double Phi)[] FitResiduals(Table seed, RunIndex runs, float[] conditions, CancellationToken ct)
    {
        var mean = ConditionalDecoder.Decode(Model, seed.RowCount, Spec.Prior?.Mean(Spec, conditions, seed.RowCount), conditions, ct);
        var expected = ExpectedValues.Read(Transformer, Spec.Sensors, mean, seed.RowCount);
        int sensors = Spec.Sensors.Count, rows = seed.RowCount;
        var residuals = new double[sensors][];
        for (int s = 0; s < sensors; s++)
        {
            var values = seed[Spec.Sensors[s].Name].Numbers!;
            var model = expected[s];
            residuals[s] = new double[rows];
            for (int r = 0; r < rows; r++) residuals[s][r] = values[r] - model[r];
        }
        // The part of the departure that the condition explains is the decoder's misfit, a function of the condition
        // like the sensor itself: as noise it was drawn afresh for every run and swamped slow trends (the stator
        // fault's current unbalance). Only what the condition cannot explain (noise, hidden walks) is noise.
        var knots = LatentPrior.DefaultKnots;
        var weights = LatentPrior.Regress(Spec, knots, conditions, rows, sensors, (r, s) => residuals[s][r]);
        var features = new double[LatentPrior.FeatureCount(Spec, knots.Length)];
        var explained = new double[sensors];
        for (int r = 0; r < rows; r++)
        {
            LatentPrior.Predict(Spec, knots, weights, conditions.AsSpan(r * Spec.ConditionDim, Spec.ConditionDim), features, explained);
            for (int s = 0; s < sensors; s++) residuals[s][r] -= explained[s];
        }
        var result = new (double, double)[sensors];
        for (int s = 0; s < result.Length; s++)
        {
            var residual = residuals[s];
            double squares = 0, sum = 0;
            for (int r = 0; r < rows; r++) sum += residual[r];
            double centre = sum / rows;
            for (int r = 0; r < rows; r++) { residual[r] -= centre; squares += residual[r] * residual[r]; }
            double phi = Lag1(residual, runs.Rows);
            result[s] = (Math.Sqrt(squares / rows), double.IsFinite(phi) ? Math.Clamp(phi, 0, 0.999) : 0);
        }
        return result;
    }

    /// <summary>
    /// Per sensor, the residual's AR(1) coefficient whose pooled within-run lag-1 autocorrelation on freshly generated
    /// runs equals the seed's (bisection; the autocorrelation rises with phi), and the autocorrelation it reaches. The
    /// residual's spread stays the seed's: only how it is spread over time is tuned, where scaling the noise (the
    /// earlier calibration) traded the trend against the autocorrelation. The residual's own lag-1 is not used
    /// directly because part of it is the decoder's slow misfit, not the seed's noise.
    /// </summary>
    private (double Phi, double Lag1)[] CalibrateNoise(int rows, ulong seed, CancellationToken ct)
    {
        var plan = SplitPlanner.Plan(Spec.Skeletons, new SplitRequest { TrainRows = Math.Max(rows, 1), ValRows = 0, TestRows = 0, Seed = seed });
        var draft = Draft(plan, seed, ct);
        var runRows = plan.Select((p, k) => Enumerable.Range(draft.Offsets[k], p.Skeleton.Length).ToArray()).ToList();
        var random = new Xoshiro256(SplitMix64.Mix(seed));
        var result = new (double, double)[Spec.Sensors.Count];
        for (int s = 0; s < Spec.Sensors.Count; s++)
        {
            var expected = draft.Expected[s];
            var fit = Spec.Sensors[s];
            double std = double.IsFinite(fit.ResidualStd) ? fit.ResidualStd : 0;
            var normals = new double[draft.Rows];
            for (int r = 0; r < normals.Length; r++) normals[r] = random.NextNormal();
            var mixed = new double[draft.Rows];
            double At(double phi)
            {
                double innovation = std * Math.Sqrt(1 - phi * phi);
                foreach (var run in runRows)
                {
                    double residual = 0;
                    for (int i = 0; i < run.Length; i++)
                    {
                        int r = run[i];
                        residual = i == 0 ? std * normals[r] : phi * residual + innovation * normals[r];
                        mixed[r] = Math.Clamp(expected[r] + residual, fit.Min, fit.Max);
                    }
                }
                double value = Lag1(mixed, runRows);
                return double.IsFinite(value) ? value : 0;
            }
            const double MaxPhi = 0.999;
            double low = 0, high = MaxPhi, target = fit.SeedLag1;
            if (!double.IsFinite(target)) { result[s] = (fit.ResidualPhi, At(fit.ResidualPhi)); continue; }
            if (At(low) >= target) { result[s] = (low, At(low)); continue; }
            if (At(high) <= target) { result[s] = (high, At(high)); continue; }
            for (int iteration = 0; iteration < 30; iteration++)
            {
                double middle = (low + high) / 2;
                if (At(middle) < target) low = middle; else high = middle;
            }
            double best = (low + high) / 2;
            result[s] = (best, At(best));
        }
        return result;
    }

    /// <summary>Pearson's r between each value and the next of the same run, pooled over runs (as the temporal report measures it).</summary>
    internal static double Lag1(double[] values, IReadOnlyList<int[]> runs) => ResidualProcess.PooledLag1(values, runs);

    /// <summary>SHA-256 over the column names and values, so the manifest can say which seed data a model learnt.</summary>
    internal static string HashOf(Table table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var column in table.Columns)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(column.Name + "\n"));
            if (column.Numbers is { } numbers) hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(numbers.AsSpan()));
            else foreach (string? label in column.Labels!) hash.AppendData(System.Text.Encoding.UTF8.GetBytes((label ?? "\0") + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
