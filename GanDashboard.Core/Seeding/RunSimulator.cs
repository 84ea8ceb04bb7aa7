namespace GanDashboard.Core.Seeding;

/// <summary>
/// Simulates one run to failure (design note section 3): failure mode and time to failure, then step by
/// step the operating-mode Markov chain, context random walks, (accelerated) ageing, damage, noiseless
/// and recorded sensor values, until the criterion sensor's noiseless value crosses its threshold.
/// </summary>
public sealed class RunSimulator(MachinePhysics physics)
{
    /// <summary>
    /// A run that has not failed after this many times its drawn time to failure (in wall-clock steps) is
    /// abandoned and redrawn: it can only happen when age acceleration all but stops ageing, and an
    /// endless run would be no use as training data.
    /// </summary>
    public const double MaxLengthInLifetimes = 50;

    /// <summary>Absolute bound on a run's length, whatever its time to failure.</summary>
    public const int MaxSteps = 2_000_000;

    private const int MaxAttempts = 20;

    /// <summary>
    /// Without an ambient sensor, ambient-coupled sensors still feel the plant's ambient: a hidden
    /// mean-reverting walk around ambient_ref_c with this spread (daily means of an indoor plant)...
    /// </summary>
    public const double HiddenAmbientStdC = 3.0;

    /// <summary>...and this correlation time: steady within a short run (a tool life), varying from day to day.</summary>
    public static readonly TimeSpan HiddenAmbientCorrelation = TimeSpan.FromDays(2);

    private readonly double _hiddenAmbientReversion = -double.ExpM1(-physics.IntervalSeconds / HiddenAmbientCorrelation.TotalSeconds);
    private double HiddenAmbientStep => HiddenAmbientStdC * Math.Sqrt(1 - Math.Pow(1 - _hiddenAmbientReversion, 2));

    private readonly double[] _modeCumulative = Cumulative(physics.Modes.Select(m => m.Weight).ToArray());
    private readonly double[] _failureCumulative = Cumulative(physics.FailureModes.Select(f => f.RunShare).ToArray());
    private readonly double[] _continuationSlopes = physics.FailureModes.Select(f => ProgressionLaw.ContinuationSlope(f.Progression)).ToArray();
    private readonly int[] _sensorOrder = OrderAmbientFirst(physics);

    // The hot loop reads plain arrays rather than records behind interfaces.
    private readonly double[][] _modeBaselines = physics.Modes.Select(m => m.Baselines).ToArray();
    private readonly bool[] _coupled = physics.Sensors.Select(s => s.AmbientCoupled).ToArray();
    private readonly double[] _walkStep = physics.Sensors.Select(s => s.WalkStepStd ?? -1).ToArray();
    private readonly double[] _walkReversion = physics.Sensors.Select(s => s.WalkReversion).ToArray();
    private readonly double[] _noise = physics.Sensors.Select(s => s.NoiseStd).ToArray();
    private readonly double[] _rangeMin = physics.Sensors.Select(s => s.RangeMin).ToArray();
    private readonly double[] _rangeMax = physics.Sensors.Select(s => s.RangeMax).ToArray();

    public MachinePhysics Physics => physics;

    public SimulatedRun Simulate(long runIndex, ulong masterSeed)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (TrySimulate(runIndex, FailureModeOf(runIndex, masterSeed), new Xoshiro256(SplitMix64.ForRun(masterSeed, runIndex, attempt))) is { } run) return run;
        }
        throw new InvalidOperationException(
            $"Run {runIndex + 1} did not reach its failure criterion within {MaxLengthInLifetimes} lifetimes in {MaxAttempts} attempts; " +
            "check the age acceleration and the effects on the criterion sensor.");
    }

    /// <summary>
    /// The failure mode of run <paramref name="runIndex"/>: a golden-ratio (Weyl) sequence through the run shares, started
    /// at a point set by the seed. Any stretch of consecutive runs then holds each mode within about one run of its share
    /// (independent draws gave the CNC sample's 5 % mode no run at all in one seed's 100 runs): a seed that misses a
    /// rare mode leaves the model nothing to learn it from while the unseen runs it is judged on still have it.
    /// </summary>
    public int FailureModeOf(long runIndex, ulong masterSeed)
    {
        const double InverseGoldenRatio = 0.6180339887498949;
        double start = (SplitMix64.Mix(masterSeed ^ 0xFA11_0DE5UL) >> 11) * (1.0 / (1UL << 53));
        double u = start + runIndex * InverseGoldenRatio;
        return Pick(_failureCumulative, u - Math.Floor(u));
    }

    private SimulatedRun? TrySimulate(long runIndex, int f, Xoshiro256 rng)
    {
        var p = physics;
        int sensorCount = p.Sensors.Count;
        var failure = p.FailureModes[f];
        double ttf = TimeToFailureSampler.DrawSeconds(failure, rng);
        double onset = failure.OnsetMin + (failure.OnsetMax - failure.OnsetMin) * rng.NextDouble();
        var criterion = p.Sensors[failure.CriterionSensor];
        double? warning = failure.CriterionLevel == "critical" ? criterion.Warning : null;
        double dt = p.IntervalSeconds;
        long limit = (long)Math.Min(MaxSteps, Math.Ceiling(MaxLengthInLifetimes * ttf / dt) + 10);

        int capacity = (int)Math.Min(limit, Math.Ceiling(1.5 * ttf / dt) + 16);
        var modes = new int[capacity];
        var values = new double[capacity * sensorCount];
        var damage = new double[capacity];
        var criterionNoiseless = new double[capacity];
        var rank = new byte[capacity];

        var noiseless = new double[sensorCount];
        var baseline = new double[sensorCount];
        var walk = new double[sensorCount];
        var effects = failure.Effects;
        int mode = Pick(_modeCumulative, rng.NextDouble());
        double ambient = p.AmbientReference;
        bool hiddenAmbient = p.AmbientSensor < 0 && _coupled.Any(c => c);
        if (hiddenAmbient) ambient += HiddenAmbientStdC * rng.NextNormal();
        // Random walks start from their stationary spread, so the first steps look like any others.
        foreach (int s in _sensorOrder)
        {
            if (!(_walkStep[s] >= 0)) continue;
            double reversion = _walkReversion[s];
            double stationary = reversion > 0 ? _walkStep[s] / Math.Sqrt(reversion * (2 - reversion)) : 0;
            walk[s] = Math.Clamp(BaselineAt(mode, s, ambient) + stationary * rng.NextNormal(), _rangeMin[s], _rangeMax[s]);
            if (s == p.AmbientSensor) ambient = walk[s];
        }

        double age = 0;
        byte worst = 0;
        for (int i = 0; ; i++)
        {
            if (i >= limit) return null;
            if (i > 0) mode = NextMode(mode, rng);
            double tau = (age / ttf - onset) / (1 - onset);
            double d = tau <= 0 ? 0 : tau <= 1 ? ProgressionLaw.Damage(failure.Progression, tau) : 1 + _continuationSlopes[f] * (tau - 1);
            if (hiddenAmbient && i > 0)
                ambient += _hiddenAmbientReversion * (p.AmbientReference - ambient) + HiddenAmbientStep * rng.NextNormal();

            foreach (int s in _sensorOrder)
            {
                double b = BaselineAt(mode, s, ambient);
                baseline[s] = b;
                double step = _walkStep[s];
                if (step >= 0)
                {
                    walk[s] = Math.Clamp(walk[s] + _walkReversion[s] * (b - walk[s]) + step * rng.NextNormal(), _rangeMin[s], _rangeMax[s]);
                    noiseless[s] = walk[s];
                    if (s == p.AmbientSensor) ambient = walk[s];
                }
                else noiseless[s] = b;
            }
            if (d > 0)
            {
                // Past D = 1 only the criterion sensor keeps moving (so the failure stays reachable in a
                // light-load mode); the profile states the other symptoms at D = 1, and extrapolating them
                // would let a secondary sensor cross critical before the failure the run is about.
                double secondary = Math.Min(d, 1);
                foreach (var effect in effects)
                {
                    double extent = effect.Sensor == failure.CriterionSensor ? d : secondary;
                    noiseless[effect.Sensor] += (effect.Kind == EffectKind.Absolute ? effect.Amount : effect.Amount * baseline[effect.Sensor]) * extent;
                }
            }

            if (i == modes.Length) Grow(ref modes, ref values, ref damage, ref criterionNoiseless, ref rank, sensorCount, limit);
            int row = i * sensorCount;
            for (int s = 0; s < sensorCount; s++)
            {
                double noise = _noise[s] > 0 ? _noise[s] * rng.NextNormal() : 0;
                values[row + s] = Math.Clamp(noiseless[s] + noise, _rangeMin[s], _rangeMax[s]);
            }
            double criterionValue = noiseless[failure.CriterionSensor];
            bool failed = criterion.IsBeyond(criterionValue, failure.CriterionThreshold);
            byte state = failed ? (byte)3 : warning is { } w && criterion.IsBeyond(criterionValue, w) ? (byte)2 : d > 0 ? (byte)1 : (byte)0;
            worst = Math.Max(worst, state);
            modes[i] = mode;
            damage[i] = d;
            criterionNoiseless[i] = criterionValue;
            rank[i] = worst;
            if (failed)
                return new SimulatedRun(runIndex, f, i + 1, ttf, onset, modes, values, damage, criterionNoiseless, rank);

            // Arrhenius: 2^((T - ref) / doubling), with T the driver's noiseless value.
            double acceleration = failure.HasAgeAcceleration
                ? Math.Exp((noiseless[failure.ArrheniusDriver] - failure.ArrheniusReference) * (Math.Log(2) / failure.ArrheniusDoubling))
                : 1;
            age += dt * acceleration;
        }
    }

    private double BaselineAt(int mode, int sensor, double ambient) =>
        _coupled[sensor] ? _modeBaselines[mode][sensor] + (ambient - physics.AmbientReference) : _modeBaselines[mode][sensor];

    /// <summary>Leaves the current mode with probability 1/dwell; the next mode is drawn by weight among the others.</summary>
    private int NextMode(int mode, Xoshiro256 rng)
    {
        var modes = physics.Modes;
        if (modes.Count == 1 || rng.NextDouble() >= 1 / modes[mode].MeanDwellSteps) return mode;
        double others = _modeCumulative[^1] - modes[mode].Weight;
        if (others <= 0) return mode;
        double u = rng.NextDouble() * others;
        for (int m = 0; m < modes.Count; m++)
        {
            if (m == mode) continue;
            u -= modes[m].Weight;
            if (u < 0) return m;
        }
        return mode == modes.Count - 1 ? modes.Count - 2 : modes.Count - 1;
    }

    private static void Grow(ref int[] modes, ref double[] values, ref double[] damage, ref double[] criterion, ref byte[] rank, int sensors, long limit)
    {
        int size = (int)Math.Min(limit, Math.Max(16L, modes.Length * 2L));
        Array.Resize(ref modes, size);
        Array.Resize(ref values, size * sensors);
        Array.Resize(ref damage, size);
        Array.Resize(ref criterion, size);
        Array.Resize(ref rank, size);
    }

    private static int Pick(double[] cumulative, double u)
    {
        double target = u * cumulative[^1];
        for (int i = 0; i < cumulative.Length; i++) if (target < cumulative[i]) return i;
        return cumulative.Length - 1;
    }

    private static double[] Cumulative(double[] weights)
    {
        var sums = new double[weights.Length];
        double total = 0;
        for (int i = 0; i < weights.Length; i++) sums[i] = total += weights[i];
        return sums;
    }

    // Ambient-coupled sensors read this step's ambient, so the ambient sensor goes first.
    private static int[] OrderAmbientFirst(MachinePhysics physics) =>
        Enumerable.Range(0, physics.Sensors.Count).OrderBy(s => s == physics.AmbientSensor ? 0 : 1).ToArray();
}
