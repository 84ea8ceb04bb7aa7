using GanDashboard.Core.Generation;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// One sensor's end-of-life calibration under one failure mode: per tail bucket (see <see cref="EndOfLifeTail.BucketOf"/>),
/// the quantiles of freshly generated values and of the seed's values. Generation maps each value in the bucket through
/// the generated distribution onto the seed's (quantile mapping), so the last steps reach the extremes the seed's runs
/// reach. A bucket with too few values on either side is null and left as generated.
/// </summary>
public sealed record EndOfLifeMap(int FailureMode, int Sensor, double[]?[] Generated, double[]?[] Seed)
{
    /// <summary>
    /// Spread of the white noise added to the tail before the map (0 in model files from before it existed): what the
    /// generated tail lacks of the seed's step-to-step roughness. A sensor whose noise spikes past its level in one of the
    /// last steps ends a real run as often as its last value does; a smooth generated tail with the same marginals did not.
    /// </summary>
    public double Roughening { get; init; }
}

/// <summary>
/// Why: the decoder is read at expected values (the mean over its mixture components at the latent's conditional mean),
/// which pulls the extremes in; the residual adds the seed's spread around the trend but not the run's own push past the
/// critical level at the failure. Runs that "failed" then often ended at 95-99 % of the level their label claims. The
/// map restores the seed's distribution over each run's last 10 % of steps, per failure mode, keeping every value's rank
/// within its bucket (so a run's order and its degradation trend are kept).
/// </summary>
public static class EndOfLifeTail
{
    /// <summary>Bucket 0 is the last step; buckets 1-5 split the rest of the last 10 % of steps by fraction from the end.</summary>
    public const int Buckets = 6;
    public const double TailFraction = 0.10;
    /// <summary>Values each side needs for a bucket to be mapped (the last-step bucket has one value per run of the mode).</summary>
    public const int MinimumValues = 8;

    /// <summary>The tail bucket of step <paramref name="step"/> of a run of <paramref name="length"/> steps, or -1 outside the tail.</summary>
    public static int BucketOf(int step, int length)
    {
        int fromEnd = length - 1 - step;
        if (fromEnd == 0) return 0;
        double u = fromEnd / (double)length;
        if (u >= TailFraction) return -1;
        return 1 + Math.Min(Buckets - 2, (int)(u / (TailFraction / (Buckets - 1))));
    }

    /// <summary>Collects tail values of runs into [failure mode][sensor][bucket] lists.</summary>
    public sealed class Collector(int failureModes, int sensors)
    {
        private readonly List<double>[,,] _values = Create(failureModes, sensors);
        // Per failure mode and sensor: count, sum and sum of squares of the step-to-step changes within the tail.
        private readonly double[,,] _steps = new double[failureModes, sensors, 3];

        private static List<double>[,,] Create(int f, int s)
        {
            var lists = new List<double>[f, s, Buckets];
            for (int a = 0; a < f; a++) for (int b = 0; b < s; b++) for (int c = 0; c < Buckets; c++) lists[a, b, c] = [];
            return lists;
        }

        /// <summary>One run: <paramref name="value"/>(sensor, step) for each step of the tail.</summary>
        public void Add(int failureMode, int length, Func<int, int, double> value)
        {
            if (failureMode < 0) return;
            for (int i = 0; i < length; i++)
            {
                int bucket = BucketOf(i, length);
                if (bucket < 0) continue;
                bool previousInTail = i > 0 && BucketOf(i - 1, length) >= 0;
                for (int s = 0; s < _values.GetLength(1); s++)
                {
                    double v = value(s, i);
                    if (!double.IsFinite(v)) continue;
                    _values[failureMode, s, bucket].Add(v);
                    if (previousInTail && value(s, i - 1) is var before && double.IsFinite(before))
                    {
                        double change = v - before;
                        _steps[failureMode, s, 0]++;
                        _steps[failureMode, s, 1] += change;
                        _steps[failureMode, s, 2] += change * change;
                    }
                }
            }
        }

        /// <summary>Variance of the step-to-step changes within the tail (NaN with fewer than <see cref="MinimumValues"/>).</summary>
        public double StepVariance(int failureMode, int sensor)
        {
            double n = _steps[failureMode, sensor, 0];
            if (n < MinimumValues) return double.NaN;
            double mean = _steps[failureMode, sensor, 1] / n;
            return Math.Max(0, _steps[failureMode, sensor, 2] / n - mean * mean);
        }

        public double[]? Quantiles(int failureMode, int sensor, int bucket) =>
            _values[failureMode, sensor, bucket].Count >= MinimumValues ? Core.Generation.Quantiles.Of(_values[failureMode, sensor, bucket]) : null;
    }

    /// <summary>
    /// Per failure mode and sensor, the white noise that gives the generated tail the seed's step-to-step variance
    /// (white noise of spread sigma adds 2 sigma^2 to it); 0 where the generated tail is already as rough.
    /// </summary>
    public static double[,] Roughening(Collector generated, Collector seed, int failureModes, int sensors)
    {
        var sigma = new double[failureModes, sensors];
        for (int f = 0; f < failureModes; f++)
            for (int s = 0; s < sensors; s++)
            {
                double missing = seed.StepVariance(f, s) - generated.StepVariance(f, s);
                sigma[f, s] = missing > 0 ? Math.Sqrt(missing / 2) : 0;
            }
        return sigma;
    }

    /// <summary>Adds the roughening noise to the tail of one run of <paramref name="length"/> steps at <paramref name="offset"/>.</summary>
    public static void Roughen(double[] values, int offset, int length, double sigma, Core.Seeding.Xoshiro256 random)
    {
        if (!(sigma > 0)) return;
        for (int i = Math.Max(0, length - 1 - (int)Math.Ceiling(TailFraction * length)); i < length; i++)
            if (BucketOf(i, length) >= 0) values[offset + i] += sigma * random.NextNormal();
    }

    /// <summary>Maps per failure mode and sensor from the generated and seed collections (sensors with no mapped bucket are left out).</summary>
    public static IReadOnlyList<EndOfLifeMap> Fit(Collector generated, Collector seed, int failureModes, int sensors)
    {
        var maps = new List<EndOfLifeMap>();
        for (int f = 0; f < failureModes; f++)
        {
            for (int s = 0; s < sensors; s++)
            {
                var gen = new double[]?[Buckets];
                var real = new double[]?[Buckets];
                bool any = false;
                for (int b = 0; b < Buckets; b++)
                {
                    gen[b] = generated.Quantiles(f, s, b);
                    real[b] = seed.Quantiles(f, s, b);
                    if (gen[b] is null || real[b] is null) gen[b] = real[b] = null;
                    else any = true;
                }
                if (any) maps.Add(new EndOfLifeMap(f, s, gen, real));
            }
        }
        return maps;
    }

    /// <summary>The seed's value at the generated distribution's probability of <paramref name="value"/> (shifted beyond the ends).</summary>
    public static double Map(double value, double[] generated, double[] seed)
    {
        int n = generated.Length;
        if (value <= generated[0]) return seed[0] + (value - generated[0]);
        if (value >= generated[n - 1]) return seed[n - 1] + (value - generated[n - 1]);
        // The last quantile at or below the value; ties in the generated quantiles map to the middle of their span.
        int low = 0, high = n - 1;
        while (high - low > 1)
        {
            int mid = (low + high) / 2;
            if (generated[mid] <= value) low = mid; else high = mid;
        }
        int first = low;
        while (first > 0 && generated[first - 1] == generated[low]) first--;
        double at = generated[high] > generated[low]
            ? low + (value - generated[low]) / (generated[high] - generated[low])
            : (first + low) / 2.0;
        return Quantiles.Draw(seed, at / (n - 1));
    }
}
