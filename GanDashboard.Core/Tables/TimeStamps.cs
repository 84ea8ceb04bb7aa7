namespace GanDashboard.Core.Tables;

/// <summary>Datetime columns are seconds since the Unix epoch (UTC) so they can be scored and modelled as numbers.</summary>
public static class TimeStamps
{
    public static double ToUnixSeconds(System.DateTime value) =>
        (DateTime.SpecifyKind(value, value.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : value.Kind).ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;

    public static System.DateTime FromUnixSeconds(double seconds) =>
        DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
