namespace GanDashboard.Core.Seeding;

/// <summary>The time units profiles use for time to failure and RUL: s, min, h, d.</summary>
public static class TimeUnits
{
    public static double? SecondsPer(string? unit) => unit switch
    {
        "s" => 1,
        "min" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => null,
    };
}
