using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Tests.Seeding;

public class RunSimulatorTests
{
    private static MachineProfile WithFailure(MachineProfile profile, Func<FailureMode, FailureMode> change) =>
        profile with { FailureModes = [change(profile.FailureModes![0])] };

    [Fact]
    public void Arrhenius_ageing_at_ten_kelvin_above_reference_halves_the_run()
    {
        var plain = SeedProfiles.Minimal();
        // speed_rpm is constant at 1450 with no noise: 10 units above a reference of 1440 doubles the ageing rate.
        var accelerated = WithFailure(plain, f => f with
        {
            AgeAcceleration = new AgeAcceleration { Type = "arrhenius_10k_rule", DriverSensor = "speed_rpm", RefValue = 1440, DoublingInterval = 10 },
        });
        var plainRun = new RunSimulator(MachinePhysics.From(plain)).Simulate(0, 7);
        var fastRun = new RunSimulator(MachinePhysics.From(accelerated)).Simulate(0, 7);

        plainRun.Length.Should().BeInRange(101, 102, "linear damage reaches 1 after 100 one-hour steps");
        ((fastRun.Length - 1.0) / (plainRun.Length - 1.0)).Should().BeApproximately(0.5, 0.02);
    }

    [Fact]
    public void Arrhenius_factor_follows_the_driver_below_reference_too()
    {
        var slowed = WithFailure(SeedProfiles.Minimal(), f => f with
        {
            AgeAcceleration = new AgeAcceleration { Type = "arrhenius_10k_rule", DriverSensor = "speed_rpm", RefValue = 1470, DoublingInterval = 10 },
        });
        // 20 units below reference: ageing runs at a quarter of the rate.
        var run = new RunSimulator(MachinePhysics.From(slowed)).Simulate(0, 7);
        ((run.Length - 1.0) / 100.0).Should().BeApproximately(4, 0.05);
    }

    [Fact]
    public void A_run_that_ageing_all_but_stops_is_abandoned_with_a_clear_error()
    {
        // 1550 units below the reference: ageing runs 2^-155 times slower, so the failure never comes.
        var frozen = WithFailure(SeedProfiles.Minimal(), f => f with
        {
            AgeAcceleration = new AgeAcceleration { Type = "arrhenius_10k_rule", DriverSensor = "speed_rpm", RefValue = 3000, DoublingInterval = 10 },
        });
        var act = () => new RunSimulator(MachinePhysics.From(frozen)).Simulate(0, 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*lifetimes*");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(42UL)]
    [InlineData(486734397UL)]
    public void Any_hundred_consecutive_runs_hold_each_failure_mode_within_about_one_run_of_its_share(ulong seed)
    {
        // The CNC sample: tool wear 0.85, chipping 0.10, spindle cooling 0.05 (a rare mode the seed must not miss).
        var simulator = new RunSimulator(MachinePhysics.From(SeedProfiles.Sample("cnc_haas_vf2_004")));
        var shares = simulator.Physics.FailureModes.Select(f => f.RunShare / simulator.Physics.FailureModes.Sum(m => m.RunShare)).ToArray();
        foreach (long first in (long[])[0, 100, 37])
        {
            var counts = new int[shares.Length];
            for (long r = first; r < first + 100; r++) counts[simulator.FailureModeOf(r, seed)]++;
            for (int f = 0; f < shares.Length; f++)
                counts[f].Should().BeInRange((int)Math.Floor(shares[f] * 100) - 2, (int)Math.Ceiling(shares[f] * 100) + 2, $"mode {f} in runs {first}-{first + 99} of seed {seed}");
        }
        simulator.Simulate(3, seed).FailureMode.Should().Be(simulator.FailureModeOf(3, seed), "the simulated run has the mode the sequence gives it");
        Enumerable.Range(0, 20).Select(r => simulator.FailureModeOf(r, seed)).Should().NotEqual(
            Enumerable.Range(0, 20).Select(r => simulator.FailureModeOf(r, seed + 1)), "another seed starts the sequence elsewhere");
    }

    [Fact]
    public void Operating_modes_stay_for_their_mean_dwell_on_average()
    {
        var profile = SeedProfiles.Minimal() with
        {
            OperatingModes =
            [
                new OperatingMode { Name = "long", Weight = 0.5, LoadFraction = 1.0, MeanDwellSteps = 6 },
                new OperatingMode { Name = "short", Weight = 0.3, LoadFraction = 0.5, MeanDwellSteps = 2 },
                new OperatingMode { Name = "rare", Weight = 0.2, LoadFraction = 0.8, MeanDwellSteps = 3 },
            ],
        };
        var simulator = new RunSimulator(MachinePhysics.From(profile));
        var segments = new Dictionary<int, List<int>> { [0] = [], [1] = [], [2] = [] };
        var entries = new int[3];
        for (int r = 0; r < 300; r++)
        {
            var run = simulator.Simulate(r, 11);
            int start = 0;
            for (int i = 1; i <= run.Length; i++)
            {
                if (i < run.Length && run.Modes[i] == run.Modes[start]) continue;
                // The first and last segments are cut by the run's ends, so only whole segments count.
                if (start > 0 && i < run.Length) { segments[run.Modes[start]].Add(i - start); entries[run.Modes[start]]++; }
                start = i;
            }
        }
        segments[0].Average().Should().BeApproximately(6, 0.6);
        segments[1].Average().Should().BeApproximately(2, 0.2);
        segments[2].Average().Should().BeApproximately(3, 0.3);
        // Leaving a mode picks the next among the others by weight: "long" is entered most often.
        entries[0].Should().BeGreaterThan(entries[2]);
    }

    [Fact]
    public void Without_an_ambient_sensor_coupled_sensors_follow_a_hidden_ambient_around_the_reference()
    {
        var minimal = SeedProfiles.Minimal();
        var coupled = minimal with { Sensors = [minimal.Sensors![0] with { AmbientCoupled = true }, minimal.Sensors[1]] };
        var coupledRuns = new RunSimulator(MachinePhysics.From(coupled));
        var plainRuns = new RunSimulator(MachinePhysics.From(minimal));
        // Step 0 is healthy (onset 0, age 0): the value is the baseline 60 plus (ambient - 25).
        var firstValues = Enumerable.Range(0, 400).Select(r => coupledRuns.Simulate(r, 2).Values[0]).ToList();
        double mean = firstValues.Average();
        double std = Math.Sqrt(firstValues.Sum(v => (v - mean) * (v - mean)) / (firstValues.Count - 1));

        mean.Should().BeApproximately(60, 0.6);
        std.Should().BeApproximately(RunSimulator.HiddenAmbientStdC, 0.4);
        Enumerable.Range(0, 20).Select(r => plainRuns.Simulate(r, 2).Values[0]).Should().OnlyContain(v => v == 60);
    }

    [Fact]
    public void Recorded_values_are_clipped_to_the_physical_range()
    {
        var noisy = SeedProfiles.Minimal() with
        {
            Sensors = [SeedProfiles.Minimal().Sensors![0] with { NoiseStd = 80 }, SeedProfiles.Minimal().Sensors![1]],
        };
        var run = new RunSimulator(MachinePhysics.From(noisy)).Simulate(0, 3);
        var temperatures = Enumerable.Range(0, run.Length).Select(i => run.Values[i * 2]).ToList();
        temperatures.Should().OnlyContain(v => v >= 0 && v <= 200);
        temperatures.Should().Contain(v => v == 0 || v == 200, "noise of 80 around 60-100 must hit a bound");
        run.Length.Should().BeInRange(101, 102, "the end of the run follows the noiseless value, not the noise");
    }

    [Theory]
    [InlineData("motor_siemens_1la7_001")]
    [InlineData("pump_ksb_etanorm_002")]
    [InlineData("cnc_haas_vf2_004")]
    public void The_noiseless_criterion_crosses_its_threshold_only_at_the_last_step(string machineId)
    {
        var physics = MachinePhysics.From(SeedProfiles.Sample(machineId));
        var simulator = new RunSimulator(physics);
        for (int r = 0; r < 40; r++)
        {
            var run = simulator.Simulate(r, 5);
            var failure = physics.FailureModes[run.FailureMode];
            var sensor = physics.Sensors[failure.CriterionSensor];
            for (int i = 0; i < run.Length - 1; i++)
                sensor.IsBeyond(run.CriterionNoiseless[i], failure.CriterionThreshold).Should().BeFalse($"run {r} step {i}");
            sensor.IsBeyond(run.CriterionNoiseless[run.Length - 1], failure.CriterionThreshold).Should().BeTrue();
            run.HealthRank[run.Length - 1].Should().Be(3);
        }
    }

    [Fact]
    public void A_step_failure_gives_no_warning_before_it_happens()
    {
        var sudden = WithFailure(SeedProfiles.Minimal(), f => f with { Progression = new Progression { Law = "step" } });
        var run = new RunSimulator(MachinePhysics.From(sudden)).Simulate(0, 1);
        run.HealthRank.Take(run.Length - 1).Should().OnlyContain(r => r == 0);
        run.HealthRank[run.Length - 1].Should().Be(3);
    }

    [Fact]
    public void Failure_modes_are_drawn_by_run_share()
    {
        var physics = MachinePhysics.From(SeedProfiles.Sample("cnc_haas_vf2_004"));
        var simulator = new RunSimulator(physics);
        var counts = new int[physics.FailureModes.Count];
        for (int r = 0; r < 2000; r++) counts[simulator.Simulate(r, 9).FailureMode]++;
        for (int f = 0; f < counts.Length; f++)
            (counts[f] / 2000.0).Should().BeApproximately(physics.FailureModes[f].RunShare, 0.03, physics.FailureModes[f].Id);
    }

    [Fact]
    public void Truncated_weibull_draws_stay_inside_their_window()
    {
        var physics = MachinePhysics.From(SeedProfiles.Sample("motor_siemens_1la7_001"));
        var rng = new Xoshiro256(3);
        foreach (var mode in physics.FailureModes)
        {
            var draws = Enumerable.Range(0, 2000).Select(_ => TimeToFailureSampler.DrawSeconds(mode, rng)).ToList();
            draws.Should().OnlyContain(x => x >= mode.MinSeconds && x <= mode.MaxSeconds, mode.Id);
            // Inside a wide window the truncated mean stays near the Weibull mean, scale x Gamma(1 + 1/shape).
            draws.Average().Should().BeGreaterThan(0.7 * mode.ParameterB * mode.UnitSeconds).And.BeLessThan(1.3 * mode.ParameterB * mode.UnitSeconds);
        }
    }

    [Fact]
    public void A_profile_whose_failure_cannot_be_reached_is_rejected_naming_the_field()
    {
        var unreachable = WithFailure(SeedProfiles.Minimal(), f => f with { Effects = [new Effect { Sensor = "bearing_temp_c", Delta = -5 }] });
        var act = () => MachinePhysics.From(unreachable);
        act.Should().Throw<InvalidProfileException>().Which.Field.Should().Be("failure_modes[0].effects");

        var noUnit = WithFailure(SeedProfiles.Minimal(), f => f with { TimeToFailure = f.TimeToFailure! with { Unit = "weeks" } });
        var unit = () => MachinePhysics.From(noUnit);
        unit.Should().Throw<InvalidProfileException>().Which.Field.Should().Be("failure_modes[0].time_to_failure.unit");
    }
}
