namespace GanDashboard.Core.Seeding;

/// <summary>Draws a time to failure (seconds) from a failure mode's distribution truncated to [min, max].</summary>
public static class TimeToFailureSampler
{
    private const int MaxRedraws = 10_000;

    public static double DrawSeconds(FailurePhysics mode, Xoshiro256 rng)
    {
        double min = mode.MinSeconds / mode.UnitSeconds, max = mode.MaxSeconds / mode.UnitSeconds;
        if (mode.Distribution == TimeToFailureDistribution.Uniform) return (min + (max - min) * rng.NextDouble()) * mode.UnitSeconds;
        // Truncation by redrawing, as the design note says; a window far in a tail would loop for ever,
        // so after many misses the draw falls back to the uniform over the window (and the profile
        // validator should warn about such a window).
        for (int attempt = 0; attempt < MaxRedraws; attempt++)
        {
            double x = Draw(mode, rng);
            if (x >= min && x <= max) return x * mode.UnitSeconds;
        }
        double upper = double.IsFinite(max) ? max : min * 2 + 1;
        return (min + (upper - min) * rng.NextDouble()) * mode.UnitSeconds;
    }

    /// <summary>One untruncated draw in the mode's own time unit.</summary>
    private static double Draw(FailurePhysics mode, Xoshiro256 rng) => mode.Distribution switch
    {
        // Inverse CDF: x = scale * (-ln U)^(1/shape).
        TimeToFailureDistribution.Weibull => mode.ParameterB * Math.Pow(-Math.Log(rng.NextOpenDouble()), 1 / mode.ParameterA),
        TimeToFailureDistribution.Lognormal => Math.Exp(mode.ParameterA + mode.ParameterB * rng.NextNormal()),
        _ => throw new InvalidOperationException($"No sampler for {mode.Distribution}."),
    };
}
