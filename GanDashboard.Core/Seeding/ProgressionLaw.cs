using GanDashboard.Core.Profiles;

namespace GanDashboard.Core.Seeding;

/// <summary>
/// Damage D as a function of tau (0 at degradation onset, 1 at the drawn time to failure), exactly as
/// the design note defines each law. Beyond tau = 1 (a run that has not yet crossed its failure
/// threshold, e.g. in a light-load mode) damage keeps growing along the tangent at tau = 1, with a
/// slope of at least 1. The <c>step</c> law has no tangent: a sudden failure that has not yet crossed
/// should do so almost at once, so its damage grows by 1 per 1 % of life past tau = 1.
/// </summary>
public static class ProgressionLaw
{
    public static readonly IReadOnlyList<string> Known = ["linear", "power", "exponential", "three_phase", "step", "paris"];

    public const double SuddenContinuationSlope = 100;

    public static double Damage(Progression progression, double tau)
    {
        if (tau <= 0) return 0;
        if (tau <= 1) return WithinLife(progression, tau);
        return 1 + ContinuationSlope(progression) * (tau - 1);
    }

    /// <summary>The slope of D past tau = 1: the law's left derivative at 1, but never below 1.</summary>
    public static double ContinuationSlope(Progression progression)
    {
        if (progression.Law == "step") return SuddenContinuationSlope;
        const double h = 1e-6;
        double derivative = (WithinLife(progression, 1) - WithinLife(progression, 1 - h)) / h;
        return double.IsFinite(derivative) ? Math.Max(1, derivative) : 1;
    }

    private static double WithinLife(Progression p, double tau) => p.Law switch
    {
        "linear" => tau,
        "power" => Math.Pow(tau, Required(p.Exponent, "exponent")),
        "exponential" => Exponential(Required(p.Rate, "rate"), tau),
        "three_phase" => ThreePhase(Required(p.BreakInFraction, "break_in_fraction"), Required(p.BreakInShare, "break_in_share"),
            Required(p.AccelExponent, "accel_exponent"), tau),
        "step" => tau >= 1 ? 1 : 0,
        "paris" => Paris(Required(p.InitialFraction, "initial_fraction"), Required(p.Exponent, "exponent"), tau),
        _ => throw new InvalidProfileException("progression.law", $"Unknown progression law '{p.Law}'; use one of {string.Join(", ", Known)}."),
    };

    // D = (e^(b tau) - 1) / (e^b - 1); a rate of 0 is the linear limit.
    private static double Exponential(double rate, double tau) =>
        Math.Abs(rate) < 1e-9 ? tau : double.ExpM1(rate * tau) / double.ExpM1(rate);

    // Fast, slowing break-in up to f, then steady wear turning into accelerating wear.
    private static double ThreePhase(double f, double s, double a, double tau)
    {
        if (tau < f)
        {
            double r = 1 - tau / f;
            return s * (1 - r * r);
        }
        double u = (tau - f) / (1 - f);
        return s + (1 - s) * (u + Math.Pow(u, a)) / 2;
    }

    // Paris-law crack growth integrated in closed form with the critical length a_c = 1 and a0 = r.
    private static double Paris(double r, double m, double tau)
    {
        double k = 1 - m / 2;
        double bracket = Math.Pow(r, k) - tau * (Math.Pow(r, k) - 1);
        double a = Math.Pow(bracket, 1 / k);
        return (a - r) / (1 - r);
    }

    private static double Required(double? value, string field) =>
        value ?? throw new InvalidProfileException($"progression.{field}", $"The progression law needs '{field}'.");
}
