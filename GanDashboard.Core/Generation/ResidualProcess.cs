using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Core.Generation;

/// <summary>
/// The part of real runs that their condition cannot explain, as a process to draw synthetic runs' from: a per-run
/// offset and slope over the run's life (units differ from their first row, manufacturing spread and initial wear, and
/// drift at their own pace), drawn together from a multivariate normal with the real runs' covariance, plus a within-run
/// part whose principal components are each a slow AR(1) path plus white noise, with their own spread, share and
/// correlation (a real sensor's departure is a smooth wander under measurement noise; one AR(1) with the same lag-1
/// correlation would be a rougher path that hides the run's trend) (one hidden state moves many sensors together, so the noise of the sensors is
/// correlated, and a regressor trained on independent noise would trust their average too much), plus, beyond
/// <see cref="MaxComponents"/> components, an independent remainder of the same kind per dimension. Optionally each
/// real run's smooth shape about its line is kept apart from the within-run part, to be borrowed whole (see <see cref="Fit"/>).
/// </summary>
/// <param name="Mean">Mean offset per dimension, then mean slope per dimension.</param>
/// <param name="OffsetFactor">Lower Cholesky factor (row-major <c>[2 Dim, 2 Dim]</c>) of the covariance of the runs' offsets and slopes (offsets first).</param>
/// <param name="Loadings">Row-major <c>[Dim, Components]</c>: the within-run part's principal directions.</param>
/// <param name="Knots">Points of the life position (the caller's, e.g. capped remaining life) where the within-run part's spread is given.</param>
/// <param name="Scales">Row-major <c>[Knots, Dim]</c>: the within-run part's spread per dimension at each knot (real sensors wander most near failure; one spread for the whole life would make healthy steps too noisy and hide the trend).</param>
public sealed record ResidualProcess(
    int Dim, double[] Mean, double[] OffsetFactor, int Components, double[] Loadings, double[] ComponentStd, double[] ComponentPhi,
    double[] ComponentSlowShare, double[] RemainderStd, double[] RemainderPhi, double[] RemainderSlowShare, double[] Knots, double[] Scales)
{
    /// <summary>Principal components drawn jointly; more dimensions get an independent remainder (drawing cost grows with Dim x Components).</summary>
    public const int MaxComponents = 48;

    /// <summary>Bounds of a run's noise scale (relative to the fleet's).</summary>
    private const double MinRunScale = 0.05, MaxRunScale = 20;

    /// <summary>The spread by life position is the typical run's, but never under this share of the pooled spread (see <see cref="Fit"/>).</summary>
    private const double MinTypicalSpreadShare = 0.5;

    /// <summary>Shrinkage of the offset covariance toward its diagonal: a few dozen runs estimate a covariance of many sensors poorly.</summary>
    private const double OffsetShrinkage = 0.1;

    /// <param name="residual">Per dimension, the residual of every row.</param>
    /// <param name="runs">The rows of each run, in order.</param>
    /// <param name="position">Each row's life position, on the scale of <paramref name="knots"/>.</param>
    /// <param name="shapeWindow">When above 0, each run's smooth shape about its line (a centred moving mean over this share
    /// of its length either side) is kept apart from the within-run part and returned, to be borrowed whole (see
    /// <see cref="DrawParts"/>); 0 leaves it in the within-run part.</param>
    /// <param name="held">Per dimension, whether its within-run part is kept per run to be resampled (<see cref="ResidualFit.RunHeld"/>)
    /// instead of drawn from the fitted law: for a sensor whose reading holds its level most steps; null for none.</param>
    public static ResidualFit Fit(double[][] residual, IReadOnlyList<int[]> runs, double[] position, double[] knots, double shapeWindow = 0, bool[]? held = null)
    {
        int dim = residual.Length, both = 2 * dim;
        var used = runs.ToList();
        if (used.Count == 0 || used.Any(r => r.Length == 0)) throw new ArgumentException("The residual process needs runs of at least one row.", nameof(runs));
        // Per run and dimension, the least-squares line over the centred life fraction: offsets first, then slopes.
        var lines = used.Select(run =>
        {
            var line = new double[both];
            double tt = 0;
            for (int i = 0; i < run.Length; i++) tt += Time(i, run.Length) * Time(i, run.Length);
            for (int d = 0; d < dim; d++)
            {
                double sum = 0, cross = 0;
                for (int i = 0; i < run.Length; i++) { double v = residual[d][run[i]]; sum += v; cross += v * Time(i, run.Length); }
                line[d] = sum / run.Length;
                line[dim + d] = tt > 0 ? cross / tt : 0;
            }
            return line;
        }).ToArray();
        var mean = Enumerable.Range(0, both).Select(d => lines.Average(o => o[d])).ToArray();
        var offsetCovariance = new double[both * both];
        foreach (var o in lines)
            for (int i = 0; i < both; i++)
                for (int j = 0; j <= i; j++) offsetCovariance[i * both + j] += (o[i] - mean[i]) * (o[j] - mean[j]);
        double runsLess1 = Math.Max(1, used.Count - 1);
        for (int i = 0; i < both; i++)
            for (int j = 0; j <= i; j++)
            {
                double value = offsetCovariance[i * both + j] / runsLess1 * (i == j ? 1 : 1 - OffsetShrinkage);
                offsetCovariance[i * both + j] = offsetCovariance[j * both + i] = value;
            }

        // Within-run part: each row less its run's line.
        var within = new double[dim][];
        for (int d = 0; d < dim; d++) within[d] = new double[residual[d].Length];
        long rows = 0;
        for (int k = 0; k < used.Count; k++)
        {
            var run = used[k];
            for (int i = 0; i < run.Length; i++)
            {
                int r = run[i];
                for (int d = 0; d < dim; d++) within[d][r] = residual[d][r] - lines[k][d] - lines[k][dim + d] * Time(i, run.Length);
                rows++;
            }
        }
        // Each run's shape about its line. A line fitted over the whole life also takes up how far the unit's end of life
        // departs from the condition path, and tilts its mid-life with it; in the real unit the rest of its residual
        // offsets that tilt, but fresh noise offsets nothing, and synthetic units spread twice as wide in mid-life as real
        // ones (FD003's s3 and s17). So the smooth part of the residual about the line goes with the line, borrowed
        // whole, and only the rest is noise.
        var shapes = used.Select(run => new double[dim * ShapePoints]).ToArray();
        if (shapeWindow > 0)
            for (int k = 0; k < used.Count; k++)
                for (int d = 0; d < dim; d++)
                {
                    var smooth = MovingMean(used[k].Select(r => within[d][r]).ToArray(), Math.Max(2, (int)Math.Round(shapeWindow * used[k].Length)));
                    for (int i = 0; i < smooth.Length; i++) within[d][used[k][i]] -= smooth[i];
                    for (int g = 0; g < ShapePoints; g++) shapes[k][d * ShapePoints + g] = Interpolate(smooth, (double)g / (ShapePoints - 1) * (smooth.Length - 1));
                }
        // Kept in single precision: it is stored in the model file, a value per held sensor and training row.
        var runHeld = used.Select(run => Enumerable.Range(0, dim).Select(d => held is not null && held[d] ? run.Select(r => (float)within[d][r]).ToArray() : null).ToArray()).ToArray();
        // Spread per knot: the typical run's (the median over runs of each run's hat-weighted mean square, weighted by its
        // rows there), then the within part in units of its local spread; each run's own level is its run scale. A pooled
        // root mean square would give every unit the spread of the few far noisier ones: on FD003 a tenth of the units
        // flicker three times as much as the rest early in life, and with the pooled spread every synthetic unit did,
        // which hid its trend. Never under half the pooled spread: on a sensor most units hold flat on its recording grid
        // the median is near nothing, and the units that do move would get run scales no clamp allows.
        var scales = new double[knots.Length * dim];
        var weightAt = new double[knots.Length];
        var runSquares = new double[used.Count][];
        var runWeights = new double[used.Count][];
        for (int u = 0; u < used.Count; u++)
        {
            runSquares[u] = new double[knots.Length * dim];
            runWeights[u] = new double[knots.Length];
            foreach (int r in used[u])
                for (int k = 0; k < knots.Length; k++)
                {
                    double w = Hats.At(knots, k, position[r]);
                    if (w == 0) continue;
                    runWeights[u][k] += w;
                    for (int d = 0; d < dim; d++) runSquares[u][k * dim + d] += w * within[d][r] * within[d][r];
                }
        }
        for (int k = 0; k < knots.Length; k++)
        {
            var present = Enumerable.Range(0, used.Count).Where(u => runWeights[u][k] > 0).ToList();
            weightAt[k] = present.Sum(u => runWeights[u][k]);
            if (present.Count == 0) continue;
            for (int d = 0; d < dim; d++)
            {
                double pooled = Math.Sqrt(present.Sum(u => runSquares[u][k * dim + d]) / weightAt[k]);
                double typical = Math.Sqrt(WeightedMedian(present.Select(u => (runSquares[u][k * dim + d] / runWeights[u][k], runWeights[u][k])).ToList()));
                scales[k * dim + d] = Math.Max(typical, pooled * MinTypicalSpreadShare);
            }
        }
        for (int d = 0; d < dim; d++)
        {
            // Knots no row reaches take their nearest neighbour's spread.
            double fallback = Enumerable.Range(0, knots.Length).Select(k => scales[k * dim + d]).FirstOrDefault(v => v > 0);
            for (int k = 0; k < knots.Length; k++) if (weightAt[k] <= 0) scales[k * dim + d] = fallback; else fallback = scales[k * dim + d];
        }
        foreach (var run in used)
            foreach (int r in run)
                for (int d = 0; d < dim; d++)
                {
                    double scale = ScaleAt(knots, scales, dim, d, position[r]);
                    within[d][r] = scale > 0 ? within[d][r] / scale : 0;
                }
        var runScales = new double[used.Count][];
        for (int k = 0; k < used.Count; k++)
        {
            runScales[k] = new double[dim];
            for (int d = 0; d < dim; d++)
            {
                double squares = 0;
                foreach (int r in used[k]) squares += within[d][r] * within[d][r];
                double scale = runScales[k][d] = Math.Clamp(Math.Sqrt(squares / used[k].Length), MinRunScale, MaxRunScale);
                foreach (int r in used[k]) within[d][r] /= scale;
            }
        }
        var covariance = new double[dim * dim];
        foreach (var run in used)
            foreach (int r in run)
                for (int i = 0; i < dim; i++)
                {
                    double wi = within[i][r];
                    for (int j = 0; j <= i; j++) covariance[i * dim + j] += wi * within[j][r];
                }
        for (int i = 0; i < dim; i++)
            for (int j = 0; j <= i; j++) covariance[i * dim + j] = covariance[j * dim + i] = covariance[i * dim + j] / Math.Max(1, rows);

        var (values, vectors) = SymmetricEigen.Of(covariance, dim);
        int components = Math.Min(dim, MaxComponents);
        var loadings = new double[dim * components];
        for (int d = 0; d < dim; d++)
            for (int c = 0; c < components; c++) loadings[d * components + c] = vectors[d * dim + c];
        var componentStd = new double[components];
        var componentPhi = new double[components];
        var componentSlow = new double[components];
        var score = new double[residual[0].Length];
        var remainder = within; // the scores are taken out of it in place
        for (int c = 0; c < components; c++)
        {
            foreach (var run in used)
                foreach (int r in run)
                {
                    double s = 0;
                    for (int d = 0; d < dim; d++) s += loadings[d * components + c] * within[d][r];
                    score[r] = s;
                }
            componentStd[c] = Math.Sqrt(Math.Max(values[c], 0));
            (componentPhi[c], componentSlow[c]) = SlowPlusWhite(score, used);
            foreach (var run in used)
                foreach (int r in run)
                    for (int d = 0; d < dim; d++) remainder[d][r] -= loadings[d * components + c] * score[r];
        }
        var remainderStd = new double[dim];
        var remainderPhi = new double[dim];
        var remainderSlow = new double[dim];
        if (components < dim)
        {
            for (int d = 0; d < dim; d++)
            {
                double squares = 0;
                foreach (var run in used) foreach (int r in run) squares += remainder[d][r] * remainder[d][r];
                remainderStd[d] = Math.Sqrt(squares / Math.Max(1, rows));
                (remainderPhi[d], remainderSlow[d]) = SlowPlusWhite(remainder[d], used);
            }
        }
        var lineSpread = Enumerable.Range(0, both).Select(i => RobustSpread(lines.Select(line => line[i]).ToList())).ToArray();
        var process = new ResidualProcess(dim, mean, Ridge.Cholesky(offsetCovariance, both), components, loadings, componentStd, componentPhi, componentSlow, remainderStd, remainderPhi, remainderSlow, knots.ToArray(), scales)
        {
            LineSpread = lineSpread,
            LineJitterShare = LineJitter,
            NoiseWindow = shapeWindow > 0 ? shapeWindow : null,
            Held = held?.ToArray(),
        };
        return new ResidualFit(process, runScales, lines, shapes, runHeld);
    }

    /// <summary>Points of life fraction (0 to 1, evenly spaced) at which a run's shape is kept.</summary>
    public const int ShapePoints = 21;

    /// <summary>Each value's mean with the <paramref name="half"/> values either side (fewer where the run ends).</summary>
    public static double[] MovingMean(double[] values, int half)
    {
        var prefix = new double[values.Length + 1];
        for (int i = 0; i < values.Length; i++) prefix[i + 1] = prefix[i] + values[i];
        var mean = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int from = Math.Max(0, i - half), to = Math.Min(values.Length - 1, i + half);
            mean[i] = (prefix[to + 1] - prefix[from]) / (to - from + 1);
        }
        return mean;
    }

    /// <summary>Linear interpolation of <paramref name="values"/> at a fractional index.</summary>
    private static double Interpolate(ReadOnlySpan<double> values, double at)
    {
        int low = Math.Clamp((int)Math.Floor(at), 0, values.Length - 1), high = Math.Min(values.Length - 1, low + 1);
        return values[low] + (at - low) * (values[high] - values[low]);
    }

    /// <summary>
    /// Per dimension, the share (0 to 1) of the within-run part drawn as white noise of the same spread instead of the
    /// correlated path; null for none (model files from before it existed). The components share their slow paths across
    /// dimensions, which gives a sensor that real runs show as nearly white flicker (a quantized sensor flipping between
    /// two grid values) the slow wander of the others; the run-table model calibrates it so each sensor's lag-1 matches.
    /// </summary>
    public double[]? Whitening { get; init; }

    /// <summary>
    /// Spread of the jitter around a borrowed run line, as a share of each offset's and slope's spread over runs
    /// (<see cref="LineSpread"/>). Half the spread, before fresh noise lost its slow part (<see cref="NoiseWindow"/>),
    /// widened the trends of the steady sensors: with a quarter, FD003's five folds moved every sensor's trend KS up or
    /// left it, at the same DCR.
    /// </summary>
    public const double LineJitter = 0.25;

    /// <summary>The jitter of model files from before it was recorded (<see cref="LineJitterShare"/>).</summary>
    private const double LegacyLineJitter = 0.5;

    /// <summary>The <see cref="LineJitter"/> the process was fitted with; null in model files from before it was kept (they drew with half the spread).</summary>
    public double? LineJitterShare { get; init; }

    /// <summary>
    /// The shape window (<see cref="Fit"/>'s <c>shapeWindow</c>) the within-run part was fitted after; when a run borrows a
    /// shape, the fresh noise has its moving mean over the same window taken out. The borrowed shape already holds the
    /// real unit's slow wander, and the fitted law, fitted on what the shape left, still draws a slow part of its own:
    /// drawn with both, synthetic units wandered twice, and their trends spread wider than the real ones (FD003: s17's
    /// trend KS 0.828 to 0.857 and s3's 0.851 to 0.870 over five folds without it). Null in model files from before it
    /// was kept: their noise keeps its slow part.
    /// </summary>
    public double? NoiseWindow { get; init; }

    /// <summary>
    /// Per dimension, whether a run draws its within-run part by resampling the borrowed real run's own (see
    /// <see cref="BorrowedUnit.Held"/>) instead of the fitted law; null for none (and in model files from before).
    /// </summary>
    public bool[]? Held { get; init; }

    /// <summary>Length of a resampled block, and how far from its own life position it may be taken, as shares of the real run's length.</summary>
    private const double HeldBlockShare = 0.03, HeldReachShare = 0.05;

    /// <summary>Adds one run's residual path to <paramref name="into"/>[d][offset .. offset + length); <paramref name="position"/> gives each step's life position.</summary>
    /// <param name="runScale">The run's noise scale per dimension (see <see cref="Fit"/>); null for 1.</param>
    /// <param name="whiteRandom">The stream of the white noise that <see cref="Whitening"/> mixes in (drawn whatever the shares, so they do not move the path); null for none.</param>
    public void Draw(int length, Xoshiro256 random, double[][] into, int offset, Func<int, double> position, double[]? runScale = null, Xoshiro256? whiteRandom = null) =>
        DrawParts(length, random, whiteRandom, into, null, null, offset, position, new BorrowedUnit(runScale));

    /// <summary>
    /// As <see cref="Draw"/>, with the parts apart when <paramref name="pathInto"/> and <paramref name="whiteInto"/> are
    /// given: <paramref name="into"/> gets the run's offset and slope (and shape and resampled part), the others the
    /// within-run path and the white noise it would be mixed with (both scaled), so a caller can try shares of
    /// <see cref="Whitening"/> without drawing again.
    /// </summary>
    /// <param name="unit">What the run takes from the real run it is drawn after (see <see cref="BorrowedUnit"/>); null for nothing.</param>
    public void DrawParts(int length, Xoshiro256 random, Xoshiro256? whiteRandom, double[][] into, double[][]? pathInto, double[][]? whiteInto,
        int offset, Func<int, double> position, BorrowedUnit? unit = null)
    {
        var line = DrawLine(random, unit?.Line);
        var withinStd = whiteRandom is null ? null : WithinStd();
        var path = new double[Dim][];
        var white = new double[Dim][];
        for (int d = 0; d < Dim; d++) { path[d] = new double[length]; white[d] = new double[length]; }
        var slow = new double[Components];
        var restSlow = new double[Dim];
        var component = new double[Components];
        for (int t = 0; t < length; t++)
        {
            for (int c = 0; c < Components; c++)
            {
                slow[c] = Step(slow[c], ComponentStd[c] * Math.Sqrt(ComponentSlowShare[c]), ComponentPhi[c], t, random);
                component[c] = slow[c] + ComponentStd[c] * Math.Sqrt(1 - ComponentSlowShare[c]) * random.NextNormal();
            }
            double at = position(t);
            for (int d = 0; d < Dim; d++)
            {
                double value = 0;
                var loading = Loadings.AsSpan(d * Components, Components);
                for (int c = 0; c < Components; c++) value += loading[c] * component[c];
                if (RemainderStd[d] > 0)
                {
                    restSlow[d] = Step(restSlow[d], RemainderStd[d] * Math.Sqrt(RemainderSlowShare[d]), RemainderPhi[d], t, random);
                    value += restSlow[d] + RemainderStd[d] * Math.Sqrt(1 - RemainderSlowShare[d]) * random.NextNormal();
                }
                double spread = ScaleAt(Knots, Scales, Dim, d, at), ownScale = unit?.Scale?[d] ?? 1;
                path[d][t] = value * spread * ownScale;
                white[d][t] = withinStd is null ? 0 : withinStd[d] * whiteRandom!.NextNormal() * spread * ownScale;
            }
        }
        if (NoiseWindow is { } window && unit?.Shape is not null)
        {
            int half = Math.Max(2, (int)Math.Round(window * length));
            for (int d = 0; d < Dim; d++) { HighPass(path[d], half); HighPass(white[d], half); }
        }
        for (int d = 0; d < Dim; d++)
        {
            var held = Held is not null && Held[d] && unit?.Held?[d] is { } own ? Resample(own, length, random) : null;
            double w = whiteRandom is null ? 0 : Whitening?[d] ?? 0;
            for (int t = 0; t < length; t++)
            {
                double trend = line[d] + line[Dim + d] * Time(t, length);
                if (unit?.Shape is { } shape)
                    trend += Interpolate(shape.AsSpan(d * ShapePoints, ShapePoints), length > 1 ? (double)t / (length - 1) * (ShapePoints - 1) : 0);
                if (held is not null)
                {
                    into[d][offset + t] += trend + held[t];
                    if (pathInto is not null) pathInto[d][offset + t] = whiteInto![d][offset + t] = 0;
                    continue;
                }
                if (pathInto is not null)
                {
                    into[d][offset + t] += trend;
                    pathInto[d][offset + t] = path[d][t];
                    whiteInto![d][offset + t] = white[d][t];
                    continue;
                }
                into[d][offset + t] += trend + (w > 0 ? Math.Sqrt(1 - w) * path[d][t] + Math.Sqrt(w) * white[d][t] : path[d][t]);
            }
        }
    }

    /// <summary>
    /// The run's offsets and slopes: around a borrowed real run's line with <see cref="LineJitterShare"/> of each one's
    /// spread (<see cref="LineSpread"/>), or from the fitted normal law when none is borrowed. Real fleets' drifts are
    /// skewed (most units hold a sensor level, a few drift far), which a normal law turns into as many units drifting the
    /// other way.
    /// </summary>
    private double[] DrawLine(Xoshiro256 random, double[]? borrowedLine)
    {
        int both = 2 * Dim;
        var normal = new double[both];
        for (int d = 0; d < both; d++) normal[d] = random.NextNormal();
        var line = new double[both];
        double jitter = LineJitterShare ?? LegacyLineJitter;
        for (int i = 0; i < both; i++)
        {
            if (borrowedLine is not null)
            {
                line[i] = borrowedLine[i] + jitter * JitterSpread(i) * normal[i];
                continue;
            }
            double sum = Mean[i];
            for (int j = 0; j <= i; j++) sum += OffsetFactor[i * both + j] * normal[j];
            line[i] = sum;
        }
        return line;
    }

    /// <summary>Takes out the moving mean over <paramref name="half"/> steps either side, in place.</summary>
    private static void HighPass(double[] values, int half)
    {
        var mean = MovingMean(values, half);
        for (int i = 0; i < values.Length; i++) values[i] -= mean[i];
    }

    /// <summary>
    /// A local block bootstrap of a real run's own within-run part over <paramref name="length"/> steps: blocks of
    /// <see cref="HeldBlockShare"/> of the real run's life, each copied from a start within <see cref="HeldReachShare"/> of
    /// its own life position. A sensor that holds its reading most steps leaves its level in rare, clustered steps whose
    /// timing makes its trend (FD003's s6 sits on its top grid value in many units and dips only early in life); fitted
    /// Gaussian noise spreads such steps evenly over the life and turned those trends into coin tosses. Shifted blocks keep
    /// when and how often the reading moves without repeating the real sequence.
    /// </summary>
    private static double[] Resample(float[] own, int length, Xoshiro256 random)
    {
        int m = own.Length, block = Math.Max(3, (int)Math.Round(HeldBlockShare * m)), reach = Math.Max(1, (int)Math.Round(HeldReachShare * m));
        var drawn = new double[length];
        for (int from = 0; from < length; from += block)
        {
            int centre = length > 1 ? (int)Math.Round((double)from / (length - 1) * (m - 1)) : 0;
            int start = Math.Clamp(centre + (int)Math.Floor((2 * random.NextDouble() - 1) * reach), 0, Math.Max(0, m - block));
            for (int t = from; t < Math.Min(length, from + block); t++) drawn[t] = own[Math.Min(m - 1, start + t - from)];
        }
        return drawn;
    }

    /// <summary>
    /// Per offset and slope (<see cref="Fit"/>'s layout), the spread the jitter around a borrowed line is measured in: the
    /// smaller of the standard deviation over runs and 1.4826 median absolute deviations. Real drifts are skewed (most
    /// units hold a sensor level, a few drift far), and the standard deviation, set by the few, gave every synthetic unit
    /// of a level sensor a drift of its own (FD003's s6: trends of ±0.5 where real units sit at 0 to 0.3). Null in model
    /// files from before it was kept: the standard deviation.
    /// </summary>
    public double[]? LineSpread { get; init; }

    private double SdOf(int i)
    {
        int both = Mean.Length;
        double variance = 0;
        for (int j = 0; j <= i; j++) variance += OffsetFactor[i * both + j] * OffsetFactor[i * both + j];
        return Math.Sqrt(variance);
    }

    private double JitterSpread(int i) => LineSpread is { } spread ? spread[i] : SdOf(i);

    /// <summary>The smaller of the standard deviation and 1.4826 times the median absolute deviation (the standard deviation for a normal sample).</summary>
    private static double RobustSpread(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double median = RunStatistics.Median(values);
        return Math.Min(sd, 1.4826 * RunStatistics.Median(values.Select(v => Math.Abs(v - median)).ToList()));
    }

    /// <summary>The value at which half the weight lies below.</summary>
    private static double WeightedMedian(List<(double Value, double Weight)> items)
    {
        items.Sort((a, b) => a.Value.CompareTo(b.Value));
        double half = items.Sum(i => i.Weight) / 2, seen = 0;
        foreach (var (value, weight) in items)
        {
            seen += weight;
            if (seen >= half) return value;
        }
        return items[^1].Value;
    }

    /// <summary>Per dimension, the spread of the within-run part in its own units (before the spread by life position).</summary>
    private double[] WithinStd()
    {
        var std = new double[Dim];
        for (int d = 0; d < Dim; d++)
        {
            double variance = RemainderStd[d] * RemainderStd[d];
            for (int c = 0; c < Components; c++) variance += Loadings[d * Components + c] * Loadings[d * Components + c] * ComponentStd[c] * ComponentStd[c];
            std[d] = Math.Sqrt(variance);
        }
        return std;
    }

    private static double ScaleAt(double[] knots, double[] scales, int dim, int d, double position)
    {
        double sum = 0;
        for (int k = 0; k < knots.Length; k++)
        {
            double w = Hats.At(knots, k, position);
            if (w != 0) sum += w * scales[k * dim + d];
        }
        return sum;
    }

    /// <summary>The life fraction of step i of a run of the given length, centred (-0.5 to 0.5), so offsets and slopes are nearly uncorrelated.</summary>
    private static double Time(int i, int length) => length > 1 ? (double)i / (length - 1) - 0.5 : 0;

    /// <summary>The next value of a stationary AR(1) path with spread <paramref name="std"/> (its first value drawn from the stationary law).</summary>
    private static double Step(double previous, double std, double phi, int t, Xoshiro256 random) =>
        t == 0 ? std * random.NextNormal() : phi * previous + std * Math.Sqrt(1 - phi * phi) * random.NextNormal();

    /// <summary>
    /// A slow AR(1) path with coefficient phi plus white noise has autocorrelation w phi^k at lag k, w the slow share of
    /// the variance: phi = r2 / r1 and w = r1 / phi from the lag-1 and lag-2 correlations (a plain AR(1) gives w = 1).
    /// </summary>
    internal static (double Phi, double SlowShare) SlowPlusWhite(double[] values, IReadOnlyList<int[]> runs)
    {
        double r1 = PooledLag1(values, runs), r2 = PooledLag(values, runs, 2);
        if (!double.IsFinite(r1) || r1 <= 0) return (0, 0);
        double phi = double.IsFinite(r2) && r2 > 0 ? Math.Clamp(r2 / r1, r1, 0.999) : r1;
        return (phi, Math.Clamp(r1 / phi, 0, 1));
    }

    /// <summary>The share of steps whose value differs from the step before in the same run; NaN without steps.</summary>
    public static double ChangingShare(double[] values, IReadOnlyList<int[]> runs)
    {
        long changes = 0, steps = 0;
        foreach (var run in runs)
            for (int i = 1; i < run.Length; i++)
            {
                steps++;
                if (values[run[i]] != values[run[i - 1]]) changes++;
            }
        return steps == 0 ? double.NaN : (double)changes / steps;
    }

    /// <summary>Pearson's r between each value and the next of the same run, pooled over runs (as the temporal report measures it).</summary>
    public static double PooledLag1(double[] values, IReadOnlyList<int[]> runs) => PooledLag(values, runs, 1);

    /// <summary>Pearson's r between each value and the one <paramref name="lag"/> steps later in the same run, pooled over runs.</summary>
    public static double PooledLag(double[] values, IReadOnlyList<int[]> runs, int lag)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long n = 0;
        foreach (var run in runs)
        {
            for (int i = 0; i + lag < run.Length; i++)
            {
                double x = values[run[i]], y = values[run[i + lag]];
                sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; n++;
            }
        }
        if (n < 3) return double.NaN;
        double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
        return vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : double.NaN;
    }
}

/// <summary>A fitted <see cref="ResidualProcess"/> and what each real run keeps for generation to borrow (see <see cref="ResidualProcess.Fit"/>).</summary>
/// <param name="RunScales">Per run, its noise scale per dimension: the within-run part's spread relative to the fleet's (a few real units have far noisier sensors than the rest, and one pooled spread would give every synthetic unit their noise).</param>
/// <param name="RunLines">Per run, its line: offsets per dimension, then slopes over the centred life fraction.</param>
/// <param name="RunShapes">Per run, its shape about its line, row-major <c>[Dim, ShapePoints]</c> at evenly spaced life fractions (zeros without a shape window).</param>
/// <param name="RunHeld">Per run and dimension, its within-run part, step by step, for the held dimensions (null for the others).</param>
public sealed record ResidualFit(ResidualProcess Process, double[][] RunScales, double[][] RunLines, double[][] RunShapes, float[]?[][] RunHeld);

/// <summary>What a synthetic run takes from the real run it is drawn after; every part is optional (null: not borrowed).</summary>
/// <param name="Scale">The real run's noise scale per dimension (<see cref="ResidualFit.RunScales"/>).</param>
/// <param name="Line">Its line (<see cref="ResidualFit.RunLines"/>), drawn around with <see cref="ResidualProcess.LineJitterShare"/>.</param>
/// <param name="Shape">Its shape about its line (<see cref="ResidualFit.RunShapes"/>), stretched to the synthetic run's length; model files from before shapes were kept have none, and their noise still holds them.</param>
/// <param name="Held">Per dimension, its within-run part (<see cref="ResidualFit.RunHeld"/>), resampled for the dimensions the process holds (<see cref="ResidualProcess.Held"/>).</param>
public sealed record BorrowedUnit(double[]? Scale, double[]? Line = null, double[]? Shape = null, IReadOnlyList<float[]?>? Held = null);
