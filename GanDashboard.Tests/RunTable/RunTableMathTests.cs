using FluentAssertions;
using GanDashboard.Core.Generation;
using GanDashboard.Core.Import;
using GanDashboard.Core.Randomness;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.RunTable;

namespace GanDashboard.Tests.RunTable;

public sealed class RunTableMathTests
{
    [Theory]
    [InlineData(new[] { 1.30, 1.31, 1.30, 1.33 }, 0.01, 2)]
    [InlineData(new[] { 390.0, 392.0, 391.0, 395.0 }, 1.0, 0)]
    [InlineData(new[] { 0.25, 0.75, 1.25 }, 0.5, 2)]
    public void A_recording_grid_is_found_and_values_snap_onto_it(double[] values, double step, int decimals)
    {
        var grid = ValueGrid.Detect(values)!;
        grid.Step.Should().BeApproximately(step, 1e-12);
        grid.Decimals.Should().Be(decimals);
        grid.Snap(values[0] + 0.3 * step).Should().Be(values[0]);
        grid.Snap(values[0] + 0.7 * step).Should().Be(Math.Round(values[0] + step, decimals));
    }

    [Fact]
    public void Continuous_and_constant_values_have_no_grid()
    {
        var random = new Xoshiro256(1);
        ValueGrid.Detect(Enumerable.Range(0, 500).Select(_ => random.NextNormal()).ToArray()).Should().BeNull();
        ValueGrid.Detect([2.0, 2.0, 2.0]).Should().BeNull();
    }

    [Fact]
    public void Symmetric_eigen_decomposition_reconstructs_the_matrix()
    {
        double[] a = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1];
        var (values, vectors) = SymmetricEigen.Of(a, 3);
        values.Should().BeInDescendingOrder();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Enumerable.Range(0, 3).Sum(k => vectors[i * 3 + k] * values[k] * vectors[j * 3 + k]).Should().BeApproximately(a[i * 3 + j], 1e-9);
    }

    [Fact]
    public void The_residual_process_keeps_the_cross_sensor_correlation_the_lag1_and_the_unit_offsets()
    {
        // Two dimensions driven by one slow hidden walk plus white noise each, and a unit offset.
        var random = new Xoshiro256(2);
        var runs = new List<int[]>();
        var a = new List<double>(); var b = new List<double>(); var position = new List<double>();
        for (int u = 0; u < 60; u++)
        {
            double offset = random.NextNormal(), walk = 0;
            var rows = new int[150];
            for (int i = 0; i < rows.Length; i++)
            {
                walk = 0.95 * walk + 0.3 * random.NextNormal();
                rows[i] = a.Count;
                a.Add(offset + walk + 0.5 * random.NextNormal());
                b.Add(offset + walk + 0.5 * random.NextNormal());
                position.Add(1);
            }
            runs.Add(rows);
        }
        var (process, scales, _, _, _) = ResidualProcess.Fit([a.ToArray(), b.ToArray()], runs, position.ToArray(), [0, 1]);
        scales.Should().HaveCount(60);
        var drawn = new[] { new double[60 * 150], new double[60 * 150] };
        var drawnRuns = new List<int[]>();
        for (int u = 0; u < 60; u++)
        {
            process.Draw(150, new Xoshiro256(GanDashboard.Core.Seeding.SplitMix64.ForRun(7, u)), drawn, u * 150, _ => 1);
            drawnRuns.Add(Enumerable.Range(u * 150, 150).ToArray());
        }
        static double Correlation(double[] x, double[] y)
        {
            double mx = x.Average(), my = y.Average();
            return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        }
        Correlation(drawn[0], drawn[1]).Should().BeApproximately(Correlation([.. a], [.. b]), 0.1);
        ResidualProcess.PooledLag1(drawn[0], drawnRuns).Should().BeApproximately(ResidualProcess.PooledLag1([.. a], runs), 0.05);
        var starts = drawnRuns.Select(r => r.Take(30).Average(i => drawn[0][i])).ToList();
        Math.Sqrt(starts.Average(s => s * s)).Should().BeGreaterThan(0.7, "units keep offsets of spread 1 from their first rows");
    }

    [Fact]
    public void Whitening_a_dimension_draws_white_noise_of_the_same_spread_and_leaves_the_others_alone()
    {
        // One slow walk shared by both dimensions: without whitening both are strongly autocorrelated.
        var random = new Xoshiro256(5);
        var runs = new List<int[]>();
        var a = new List<double>(); var b = new List<double>();
        for (int u = 0; u < 40; u++)
        {
            double walk = 0;
            var rows = new int[200];
            for (int i = 0; i < rows.Length; i++)
            {
                walk = 0.97 * walk + 0.25 * random.NextNormal();
                rows[i] = a.Count;
                a.Add(walk + 0.1 * random.NextNormal());
                b.Add(walk + 0.1 * random.NextNormal());
            }
            runs.Add(rows);
        }
        var (fitted, _, _, _, _) = ResidualProcess.Fit([a.ToArray(), b.ToArray()], runs, new double[a.Count], [0, 1]);
        (double[][] Values, List<int[]> Runs) DrawAll(ResidualProcess process, bool white)
        {
            var drawn = new[] { new double[40 * 200], new double[40 * 200] };
            for (int u = 0; u < 40; u++)
                process.Draw(200, new Xoshiro256(GanDashboard.Core.Seeding.SplitMix64.ForRun(9, u)), drawn, u * 200, _ => 0, null, white ? new Xoshiro256(GanDashboard.Core.Seeding.SplitMix64.ForRun(9, u, attempt: 3)) : null);
            return (drawn, Enumerable.Range(0, 40).Select(u => Enumerable.Range(u * 200, 200).ToArray()).ToList());
        }
        static double Spread(double[] x) { double m = x.Average(); return Math.Sqrt(x.Average(v => (v - m) * (v - m))); }

        var plain = DrawAll(fitted, white: false);
        var whitened = DrawAll(fitted with { Whitening = [1, 0] }, white: true);
        // Each run's offset and slope stay (they are not the within-run part), so the pooled lag-1 does not reach 0.
        double plainLag = ResidualProcess.PooledLag1(plain.Values[0], plain.Runs);
        plainLag.Should().BeGreaterThan(0.8);
        ResidualProcess.PooledLag1(whitened.Values[0], whitened.Runs).Should().BeLessThan(plainLag - 0.3, "the first dimension's within-run part is now white");
        Spread(whitened.Values[0]).Should().BeApproximately(Spread(plain.Values[0]), 0.15 * Spread(plain.Values[0]), "whitening keeps the spread");
        whitened.Values[1].Should().Equal(plain.Values[1], "the white stream is apart, so the other dimension's path is unchanged");
        DrawAll(fitted with { Whitening = null }, white: true).Values[0].Should().Equal(plain.Values[0], "no shares: the path as before");
    }

    [Fact]
    public void A_run_drawn_around_a_borrowed_line_keeps_that_units_drift_and_not_the_fleets_average()
    {
        // A skewed fleet: most units hold their level, one in five drifts down by 3 over its life.
        var random = new Xoshiro256(8);
        var (runs, values) = Fleet(50, 100, u =>
        {
            double drift = u % 5 == 0 ? -3 : 0;
            return i => drift * i / 99.0 + 0.1 * random.NextNormal();
        });
        var (process, _, lines, _, _) = ResidualProcess.Fit([values], runs, new double[values.Length], [0, 1]);
        lines.Should().HaveCount(50);
        lines[0][1].Should().BeApproximately(-3, 0.1, "the slope over the life fraction of a unit that drifts by 3");
        lines[1][1].Should().BeApproximately(0, 0.1);

        // With lineOnly the noise goes to its own arrays (DrawParts' parts), and the rise is the drawn line's alone.
        double SlopeOf(double[]? borrowed, ulong seed, bool lineOnly = false)
        {
            var drawn = new[] { new double[100] };
            double[][]? path = lineOnly ? [new double[100]] : null, white = lineOnly ? [new double[100]] : null;
            process.DrawParts(100, new Xoshiro256(seed), null, drawn, path, white, 0, _ => 0, new BorrowedUnit(null, borrowed));
            return drawn[0].Skip(80).Average() - drawn[0].Take(20).Average();
        }
        var holding = Enumerable.Range(0, 20).Select(k => SlopeOf(lines[1], (ulong)k)).ToList();
        var drifting = Enumerable.Range(0, 20).Select(k => SlopeOf(lines[0], (ulong)k)).ToList();
        holding.Average().Should().BeGreaterThan(-1, "runs borrowed from a holding unit mostly hold");
        drifting.Average().Should().BeLessThan(-1.5, "runs borrowed from a drifting unit drift");

        // The jitter is measured in the holding majority's spread, not in the standard deviation the drifting few set.
        static double Spread(List<double> x) { double m = x.Average(); return Math.Sqrt(x.Average(v => (v - m) * (v - m))); }
        Spread(holding).Should().BeLessThan(0.15, "a holding unit's borrowers hold too");
        // A quarter of the spread now; model files from before drew with half of it.
        double quarter = Spread(Enumerable.Range(0, 20).Select(k => SlopeOf(lines[0], (ulong)k, lineOnly: true)).ToList());
        quarter.Should().BePositive();
        process = process with { LineJitterShare = null };
        Spread(Enumerable.Range(0, 20).Select(k => SlopeOf(lines[0], (ulong)k, lineOnly: true)).ToList()).Should().BeApproximately(2 * quarter, 1e-9 + 1e-6 * quarter);
        process = process with { LineSpread = null, LineJitterShare = null };
        Spread(Enumerable.Range(0, 20).Select(k => SlopeOf(lines[1], (ulong)k)).ToList()).Should().BeGreaterThan(0.3,
            "a model file from before the robust spread draws with the standard deviation and half of it, as it did");
    }

    [Fact]
    public void A_runs_smooth_shape_about_its_line_is_borrowed_whole_and_kept_out_of_the_noise()
    {
        // Each unit bows by its own amount (a half sine over its life, -4 to 4) under white noise of spread 1.
        var random = new Xoshiro256(12);
        var bows = new List<double>();
        const int length = 200;
        var (runs, values) = Fleet(30, length, u =>
        {
            double bow = -4 + 8.0 * u / 29;
            bows.Add(bow);
            return i => bow * Math.Sin(Math.PI * i / (length - 1)) + random.NextNormal();
        });
        var (process, _, lines, shapes, _) = ResidualProcess.Fit([values], runs, new double[values.Length], [0, 1], shapeWindow: 0.1);
        var (without, _, _, noShapes, _) = ResidualProcess.Fit([values], runs, new double[values.Length], [0, 1]);
        noShapes.Should().AllSatisfy(shape => shape.Should().OnlyContain(v => v == 0), "without a window the shape stays in the noise");

        // The shape at mid-life is the bow less its mean over the life (the line's offset took the mean: 2 / pi of it).
        int middle = ResidualProcess.ShapePoints / 2;
        for (int u = 0; u < bows.Count; u++) shapes[u][middle].Should().BeApproximately(bows[u] * (1 - 2 / Math.PI), 0.35);

        // The noise is the white noise alone; left in it, the bows made it wider (and drew as levels, not bows).
        process.Scales[0].Should().BeApproximately(1, 0.08);
        without.Scales[0].Should().BeGreaterThan(1.15);

        // A run borrowed from the most bowed unit bows as it did: the mean of many draws at mid-life and at the ends.
        double[] MeanOfDraws(ResidualProcess fitted, double[]? shape)
        {
            var sum = new double[length];
            for (int k = 0; k < 50; k++)
            {
                var drawn = new[] { new double[length] };
                fitted.DrawParts(length, new Xoshiro256(100 + (ulong)k), null, drawn, null, null, 0, _ => 0, new BorrowedUnit(null, lines[^1], shape));
                for (int i = 0; i < length; i++) sum[i] += drawn[0][i] / 50;
            }
            return sum;
        }
        double BowOf(double[] mean) => mean.Skip(length / 2 - 10).Take(21).Average() - (mean.Take(10).Average() + mean.TakeLast(10).Average()) / 2;
        BowOf(MeanOfDraws(process, shapes[^1])).Should().BeInRange(2.5, 4, "most of the bow of 3.7 between these windows (the moving mean flattens the last steps a little)");

        // Borrowing the line alone, as model files from before shapes were kept do, draws no bow.
        BowOf(MeanOfDraws(without, null)).Should().BeApproximately(0, 0.5);
    }

    [Fact]
    public void Under_a_borrowed_shape_fresh_noise_keeps_only_what_the_shape_window_leaves()
    {
        // Units wander slowly (AR(1), phi 0.98) under white noise: each unit's shape takes its slow wander, and a run that
        // borrows the shape must not draw a second slow wander of its own.
        var random = new Xoshiro256(14);
        var (runs, values) = Fleet(30, 200, _ =>
        {
            double walk = 0;
            return _ => (walk = 0.98 * walk + 0.2 * random.NextNormal()) + 0.3 * random.NextNormal();
        });
        var fit = ResidualProcess.Fit([values], runs, new double[values.Length], [0, 1], shapeWindow: 0.1);
        fit.Process.NoiseWindow.Should().Be(0.1);
        double SlowPartOfNoise(ResidualProcess process)
        {
            double squares = 0;
            for (int k = 0; k < 30; k++)
            {
                var into = new[] { new double[200] }; var path = new[] { new double[200] }; var white = new[] { new double[200] };
                process.DrawParts(200, new Xoshiro256((ulong)k), null, into, path, white, 0, _ => 0, new BorrowedUnit(fit.RunScales[k], fit.RunLines[k], fit.RunShapes[k]));
                squares += ResidualProcess.MovingMean(path[0], 20).Sum(v => v * v);
            }
            return Math.Sqrt(squares / (30 * 200));
        }
        SlowPartOfNoise(fit.Process).Should().BeLessThan(0.5 * SlowPartOfNoise(fit.Process with { NoiseWindow = null }),
            "the noise loses its moving mean over the shape window; model files from before (no window kept) draw it as they did");
    }

    [Fact]
    public void A_held_sensor_resamples_its_units_own_departures_where_in_life_they_were()
    {
        // A reading that holds 10 and drops to 9 for three steps at a time, only in the first 30 % of each unit's life.
        var random = new Xoshiro256(15);
        const int length = 200;
        var (runs, values) = Fleet(30, length, _ =>
        {
            int dipLeft = 0;
            return i =>
            {
                if (dipLeft == 0 && i < 0.3 * length && random.NextDouble() < 0.1) dipLeft = 3;
                if (dipLeft == 0) return 10;
                dipLeft--;
                return 9;
            };
        });
        var fit = ResidualProcess.Fit([values], runs, new double[values.Length], [0, 1], shapeWindow: 0.1, held: [true]);
        fit.RunHeld.Should().AllSatisfy(run => run[0].Should().HaveCount(length));
        List<int> Dips(ResidualProcess process, int unit, int drawnLength, ulong seed)
        {
            var drawn = new[] { new double[drawnLength] };
            process.DrawParts(drawnLength, new Xoshiro256(seed), null, drawn, null, null, 0, _ => 0,
                new BorrowedUnit(fit.RunScales[unit], fit.RunLines[unit], fit.RunShapes[unit], fit.RunHeld[unit]));
            double level = drawn[0].Order().ElementAt(drawnLength / 2);
            return Enumerable.Range(0, drawnLength).Where(t => drawn[0][t] < level - 0.5).ToList();
        }

        // Stretched to 250 steps, every drop stays in the first 30 % of life, within the reach and one block of where it was.
        var resampled = Enumerable.Range(0, 30).SelectMany(u => Dips(fit.Process, u, 250, (ulong)u)).ToList();
        resampled.Should().NotBeEmpty();
        resampled.Should().OnlyContain(t => t < 0.4 * 250);
        // Drawn from the fitted law, as model files from before do, drops fall in the second half of life too, which hid the trend.
        Enumerable.Range(0, 30).SelectMany(u => Dips(fit.Process with { Held = null }, u, 250, (ulong)u)).Count(t => t > 0.5 * 250).Should().BeGreaterThan(10);
        // Shifted blocks: at the unit's own length the drops are not its own sequence.
        var own = Enumerable.Range(0, length).Where(i => values[runs[3][i]] == 9).ToList();
        Enumerable.Range(0, 10).Count(k => Dips(fit.Process, 3, length, 100 + (ulong)k).SequenceEqual(own)).Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public void The_steadiest_sensors_are_held_as_far_as_the_model_files_budget_allows()
    {
        // Shares of steps that change: two sensors hold (0.05, 0.1), one nearly does (0.3), one changes at most steps.
        double[] changing = [0.1, 0.9, 0.3, 0.05, double.NaN];
        RunTableSynthesizer.HeldSensors(changing, rows: 100, budget: 1000).Should().Equal(true, false, true, true, false);
        RunTableSynthesizer.HeldSensors(changing, rows: 100, budget: 250).Should().Equal([true, false, false, true, false], "room for two: the steadiest");
        RunTableSynthesizer.HeldSensors(changing, rows: 100, budget: 99).Should().OnlyContain(h => !h, "no room: every sensor draws from the fitted law");
    }

    [Fact]
    public void The_spread_by_life_position_is_the_typical_units_so_a_few_loud_units_do_not_make_every_unit_loud()
    {
        // 30 units: 27 quiet throughout (0.03), 3 loud early in life only (0.3 at position 1, 0.03 at position 0).
        var random = new Xoshiro256(11);
        var runs = new List<int[]>();
        var values = new List<double>(); var position = new List<double>();
        for (int u = 0; u < 30; u++)
        {
            var rows = new int[200];
            for (int i = 0; i < rows.Length; i++)
            {
                bool early = i < 100;
                rows[i] = values.Count;
                values.Add((early && u % 10 == 0 ? 0.3 : 0.03) * random.NextNormal());
                position.Add(early ? 1 : 0);
            }
            runs.Add(rows);
        }
        var (process, scales, _, _, _) = ResidualProcess.Fit([values.ToArray()], runs, position.ToArray(), [0, 1]);
        double EarlySpread(double[] runScale)
        {
            var drawn = new[] { new double[200 * 40] };
            for (int k = 0; k < 40; k++) process.Draw(200, new Xoshiro256((ulong)k), drawn, k * 200, i => i < 100 ? 1 : 0, runScale);
            var early = Enumerable.Range(0, 40).SelectMany(k => Enumerable.Range(k * 200, 100)).Select(r => drawn[0][r]).ToList();
            return Math.Sqrt(early.Average(v => v * v));
        }
        // With the pooled spread a quiet unit would draw about 0.07 early in life.
        EarlySpread(scales[1]).Should().BeLessThan(0.05, "a quiet unit stays about as quiet as it was (0.03)");
        EarlySpread(scales[0]).Should().BeGreaterThan(3 * EarlySpread(scales[1]), "a loud unit keeps its own level");
    }

    [Fact]
    public void Run_signatures_separate_faults_that_move_a_sensor_opposite_ways()
    {
        var data = RunTables.Fleet(20, withLabels: true);
        var runs = GanDashboard.Core.Quality.RunIndex.Of(data.Seed)!.Rows;
        var signatures = RunSignatures.Fit(new[] { "Temperature", "Pressure" }.Select(c => data.Seed[c].Numbers!).ToList(), runs, 12);
        signatures[0].Length.Should().BeInRange(1, RunSignatures.MaxComponents);
        var fault = data.Seed["Fault"].Labels!;
        var fan = runs.Select((r, k) => (r, k)).Where(x => fault[x.r[0]] == "fan").Select(x => signatures[x.k][0]).ToList();
        var compressor = runs.Select((r, k) => (r, k)).Where(x => fault[x.r[0]] == "compressor").Select(x => signatures[x.k][0]).ToList();
        (fan.Min() > compressor.Max() || compressor.Min() > fan.Max()).Should().BeTrue("the first signature component splits the two faults");
    }

    [Fact]
    public void Context_regimes_are_found_when_they_exist_and_not_invented_in_noise()
    {
        var data = RunTables.Fleet(10);
        var runs = GanDashboard.Core.Quality.RunIndex.Of(data.Seed)!.Rows;
        var chain = ContextChain.Fit(data.Seed, runs, ["Setting"], []);
        chain.States.Should().HaveCount(3);
        chain.States.Select(s => Math.Round(s.Means[0])).Order().Should().Equal(10, 20, 35);
        var (states, values) = chain.Simulate(500, new Xoshiro256(4));
        states.Distinct().Should().HaveCount(3);
        values[0].Should().OnlyContain(v => v >= chain.Min[0] && v <= chain.Max[0]);

        var noise = new Table([Column.Numeric("run_id", Enumerable.Repeat(1.0, 400).ToArray()), Column.Numeric("x", Enumerable.Range(0, 400).Select(i => Math.Sin(i * 1.7)).ToArray())]);
        ContextChain.Fit(noise, [Enumerable.Range(0, 400).ToArray()], ["x"], []).States.Should().ContainSingle();
    }

    [Fact]
    public void Units_are_held_out_by_share_with_a_minimum_and_never_when_too_few_remain()
    {
        var big = RunTables.Fleet(60).Seed;
        var (train, holdout, held) = UnitHoldout.Split(big, 1);
        held.Should().HaveCount(12);
        GanDashboard.Core.Quality.RunIndex.Of(train)!.Count.Should().Be(48);
        GanDashboard.Core.Quality.RunIndex.Of(holdout)!.RunIds.Should().BeEquivalentTo(held);
        UnitHoldout.Without(big, holdout).RowCount.Should().Be(train.RowCount);
        UnitHoldout.Runs(big, held).RowCount.Should().Be(holdout.RowCount);
        UnitHoldout.Split(big, 1).HeldOutRuns.Should().Equal(held, "the same seed holds out the same units");

        var small = RunTables.Fleet(15).Seed;
        UnitHoldout.Split(small, 1).HeldOutRuns.Should().BeEmpty("holding 10 of 15 out would leave fewer to train on than to judge with");
    }

    /// <summary>A fleet of one-dimensional runs: per unit, <paramref name="unit"/> gives its value at each step (called in step order, so it may keep state).</summary>
    private static (List<int[]> Runs, double[] Values) Fleet(int units, int length, Func<int, Func<int, double>> unit)
    {
        var runs = new List<int[]>();
        var values = new List<double>();
        for (int u = 0; u < units; u++)
        {
            var valueAt = unit(u);
            var rows = new int[length];
            for (int i = 0; i < length; i++) { rows[i] = values.Count; values.Add(valueAt(i)); }
            runs.Add(rows);
        }
        return (runs, values.ToArray());
    }
}
