using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Generation;

/// <summary>A failure mode's criterion: the sensor that fails, which way, and its warning threshold when it fails at critical.</summary>
public sealed record FailureCriterionSpec(string FailureMode, string Sensor, int Sign, double? Warning, bool Sudden);

/// <summary>
/// What the label columns need, taken from the profile when the model is fitted so that generation reads only the
/// model file: the sampling interval, the RUL unit and cap, the health-state names and each failure criterion.
/// </summary>
public sealed record RunLabelSpec(
    double IntervalSeconds, double RulPerStep, string RulUnit, double RulCap, IReadOnlyList<string> HealthStates,
    double StartUnixSeconds, IReadOnlyList<FailureCriterionSpec> Criteria)
{
    public static RunLabelSpec From(MachinePhysics physics) => new(
        physics.IntervalSeconds, physics.RulPerStep, physics.RulUnit, physics.RulCap, physics.HealthStates.ToArray(),
        TimeStamps.ToUnixSeconds(SeedColumns.RunStart),
        physics.FailureModes.Select(f =>
        {
            var sensor = physics.Sensors[f.CriterionSensor];
            double? warning = f.CriterionLevel == "critical" ? sensor.Warning : null;
            return new FailureCriterionSpec(f.Id, sensor.Name, sensor.Sign, warning, f.IsSudden);
        }).ToArray());
}

/// <summary>
/// The label columns of generated runs, exact by construction (design note section 3.6):
/// <c>rul = (L - 1 - i) x interval</c> in the RUL unit, <c>rul_capped = min(rul, cap)</c>, timestamps every interval
/// from the seed's run start, <c>operating_hours = i x interval / 3600</c> as in the seed, <c>health_index = 1 - min(D, 1)</c>
/// from the run's non-decreasing degradation path, and <c>health_state</c> the worst zone reached so far: healthy while
/// D = 0, degrading once D > 0, warning once the criterion sensor's expected (noise-free decoder) value is beyond its
/// warning threshold in a degrading run, critical at the last step (the failure). It never improves.
/// </summary>
public static class RunLabels
{
    /// <param name="criterionExpected">Per step, the criterion sensor's expected value (null: no warning zone).</param>
    public static void Fill(RunLabelSpec spec, RunSkeleton run, ReadOnlySpan<double> criterionExpected, LabelColumns into, int offset)
    {
        int n = run.Length;
        var criterion = spec.Criteria[run.FailureMode];
        int worst = 0;
        for (int i = 0; i < n; i++)
        {
            int r = offset + i;
            double d = run.Degradation[i];
            into.Step[r] = i;
            into.Timestamp[r] = spec.StartUnixSeconds + i * spec.IntervalSeconds;
            into.OperatingHours[r] = i * spec.IntervalSeconds / 3600.0;
            into.HealthIndex[r] = 1 - Math.Min(d, 1);
            into.Rul[r] = (n - 1 - i) * spec.RulPerStep;
            into.RulCapped[r] = Math.Min(into.Rul[r], spec.RulCap);
            int state = d > 0 ? 1 : 0;
            if (d > 0 && !criterion.Sudden && criterion.Warning is { } warning && !criterionExpected.IsEmpty
                && criterion.Sign * (criterionExpected[i] - warning) >= 0) state = 2;
            if (i == n - 1) state = 3;
            worst = Math.Max(worst, state);
            into.HealthState[r] = spec.HealthStates[worst];
        }
    }
}

/// <summary>Label columns for a block of rows, filled run by run.</summary>
public sealed class LabelColumns(int rows)
{
    public double[] Step { get; } = new double[rows];
    public double[] Timestamp { get; } = new double[rows];
    public double[] OperatingHours { get; } = new double[rows];
    public double[] HealthIndex { get; } = new double[rows];
    public string?[] HealthState { get; } = new string?[rows];
    public double[] Rul { get; } = new double[rows];
    public double[] RulCapped { get; } = new double[rows];
}
