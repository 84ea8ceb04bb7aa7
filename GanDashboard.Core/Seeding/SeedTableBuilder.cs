using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Seeding;

/// <summary>Lays simulated runs out as table rows with their exact labels (design note sections 3.6 and 3.7).</summary>
public static class SeedTableBuilder
{
    public static Table Build(MachinePhysics physics, IReadOnlyList<SimulatedRun> runs)
    {
        int rows = 0;
        foreach (var run in runs) rows += run.Length;
        int sensorCount = physics.Sensors.Count;
        var runId = new double[rows];
        var step = new double[rows];
        var timestamp = new double[rows];
        var hours = new double[rows];
        var mode = new string?[rows];
        var load = new double[rows];
        var sensors = new double[sensorCount][];
        for (int s = 0; s < sensorCount; s++) sensors[s] = new double[rows];
        var healthIndex = new double[rows];
        var healthState = new string?[rows];
        var failureMode = new string?[rows];
        var rul = new double[rows];
        var rulCapped = new double[rows];

        double dt = physics.IntervalSeconds;
        double start = TimeStamps.ToUnixSeconds(SeedColumns.RunStart);
        double rulPerStep = physics.RulPerStep;
        int offset = 0;
        foreach (var run in runs)
        {
            string failure = physics.FailureModes[run.FailureMode].Id;
            int n = run.Length;
            for (int i = 0; i < n; i++)
            {
                int r = offset + i;
                runId[r] = run.RunId;
                step[r] = i;
                timestamp[r] = start + i * dt;
                hours[r] = i * dt / 3600.0;
                var m = physics.Modes[run.Modes[i]];
                mode[r] = m.Name;
                load[r] = m.LoadFraction;
                int row = i * sensorCount;
                for (int s = 0; s < sensorCount; s++) sensors[s][r] = run.Values[row + s];
                healthIndex[r] = 1 - Math.Min(run.Damage[i], 1);
                healthState[r] = physics.HealthStates[run.HealthRank[i]];
                failureMode[r] = failure;
                // Whole steps times the RUL per step, so every run ends at exactly 0.
                rul[r] = (n - 1 - i) * rulPerStep;
                rulCapped[r] = Math.Min(rul[r], physics.RulCap);
            }
            offset += n;
        }

        var columns = new List<Column>(SeedColumns.BeforeSensors.Count + sensorCount + SeedColumns.AfterSensors.Count)
        {
            Column.Numeric(SeedColumns.RunId, runId, isInteger: true),
            Column.Numeric(SeedColumns.Step, step, isInteger: true),
            Column.DateTime(SeedColumns.Timestamp, timestamp),
            Column.Numeric(SeedColumns.OperatingHours, hours),
            Column.Categorical(SeedColumns.OperatingMode, mode),
            Column.Numeric(SeedColumns.LoadFraction, load),
        };
        for (int s = 0; s < sensorCount; s++) columns.Add(Column.Numeric(physics.Sensors[s].Name, sensors[s]));
        columns.Add(Column.Numeric(SeedColumns.HealthIndex, healthIndex));
        columns.Add(Column.Categorical(SeedColumns.HealthState, healthState));
        columns.Add(Column.Categorical(SeedColumns.FailureMode, failureMode));
        columns.Add(Column.Numeric(SeedColumns.Rul, rul));
        columns.Add(Column.Numeric(SeedColumns.RulCapped, rulCapped));
        return new Table(columns);
    }
}
