namespace GanDashboard.Core.Generation;

/// <summary>Piecewise-linear "hat" basis functions on knots: the k-th is 1 at knot k and 0 at its neighbours (constant beyond the ends).</summary>
public static class Hats
{
    public static double At(double[] knots, int k, double x)
    {
        if (k > 0 && x < knots[k]) return x <= knots[k - 1] ? 0 : (x - knots[k - 1]) / (knots[k] - knots[k - 1]);
        if (k < knots.Length - 1 && x > knots[k]) return x >= knots[k + 1] ? 0 : (knots[k + 1] - x) / (knots[k + 1] - knots[k]);
        return 1;
    }
}
