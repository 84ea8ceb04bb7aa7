namespace GanDashboard.Core.Seeding;

/// <summary>
/// One simulated run to failure. Sensor values are stored step-major (<c>Values[step * sensors + sensor]</c>);
/// arrays may be longer than <see cref="Length"/>.
/// </summary>
public sealed record SimulatedRun(
    long RunIndex, int FailureMode, int Length, double TimeToFailureSeconds, double Onset,
    int[] Modes, double[] Values, double[] Damage, double[] CriterionNoiseless, byte[] HealthRank)
{
    public long RunId => RunIndex + 1;
}
