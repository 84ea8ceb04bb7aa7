namespace GanDashboard.Tvae.Transform;

/// <summary>The few special functions the variational mixture needs (scipy's digamma, gammaln and betaln).</summary>
internal static class SpecialFunctions
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>psi(x) for x &gt; 0: recurrence up to x &gt;= 10, then the asymptotic series (error below 1e-13).</summary>
    public static double Digamma(double x)
    {
        double result = 0;
        while (x < 10)
        {
            result -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        return result + Math.Log(x) - 0.5 / x
            - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
    }

    /// <summary>ln Gamma(x) for x &gt; 0: recurrence up to x &gt;= 10, then Stirling's series (error below 1e-12).</summary>
    public static double LogGamma(double x)
    {
        double product = 1;
        while (x < 10)
        {
            product *= x;
            x += 1;
        }
        double inverse = 1 / x, f = inverse * inverse;
        double series = inverse * (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f * (1.0 / 1680))));
        return (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series - Math.Log(product);
    }

    /// <summary>ln B(a, b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);
}
