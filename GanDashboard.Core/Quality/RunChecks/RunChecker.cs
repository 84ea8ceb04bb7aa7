using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Core.Quality.RunChecks;

/// <summary>Runs every run check over a whole table (seed or synthetic data) against its machine profile.</summary>
public static class RunChecker
{
    public static RunCheckReport Check(Table table, MachineProfile profile, double? rulCapOverride = null)
    {
        var accumulator = new RunCheckAccumulator(profile, rulCapOverride);
        accumulator.Add(table);
        return accumulator.Finish();
    }
}
