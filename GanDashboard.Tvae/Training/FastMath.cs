using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// exp, log and sin/cos on eight floats at once with the Cephes single-precision polynomials (about 1e-7
/// relative error). .NET 10's Vector256.Exp/Log/SinCos measured 20-40 ns per element on this machine, slower
/// than scalar MathF; these are a few nanoseconds per eight.
/// </summary>
internal static class FastMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.7f));
        var n = Vector256.Floor(Vector256.FusedMultiplyAdd(x, Vector256.Create(1.44269504088896341f), Vector256.Create(0.5f)));
        x = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        x = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), x);
        var y = Vector256.Create(1.9875691500E-4f);
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.3981999507E-3f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(8.3334519073E-3f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(4.1665795894E-2f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.6666665459E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(5.0000001201E-1f));
        y = Vector256.FusedMultiplyAdd(y, x * x, x) + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return y * scale.AsSingle();
    }

    /// <summary>Natural log for positive finite inputs (the callers pass sums of exponentials and uniforms in (0, 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var exponent = Vector256.ConvertToSingle((bits >>> 23) - Vector256.Create(126));
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F000000)).AsSingle(); // [0.5, 1)
        var small = Vector256.LessThan(m, Vector256.Create(0.707106781186547524f));
        exponent -= Vector256.ConditionalSelect(small, Vector256<float>.One, Vector256<float>.Zero);
        m = m + Vector256.ConditionalSelect(small, m, Vector256<float>.Zero) - Vector256<float>.One;
        var z = m * m;
        var y = Vector256.Create(7.0376836292E-2f);
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(-1.1514610310E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(1.1676998740E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(-1.2420140846E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(1.4249322787E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(-1.6668057665E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(2.0000714765E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(-2.4999993993E-1f));
        y = Vector256.FusedMultiplyAdd(y, m, Vector256.Create(3.3333331174E-1f));
        y = y * m * z;
        y = Vector256.FusedMultiplyAdd(exponent, Vector256.Create(-2.12194440e-4f), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        return Vector256.FusedMultiplyAdd(exponent, Vector256.Create(0.693359375f), m + y);
    }

    /// <summary>sin and cos of 2 pi <paramref name="turns"/> for turns in [0, 1]: quadrant, then polynomials on [-pi/4, pi/4].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCosOfTurns(Vector256<float> turns)
    {
        var quarters = turns * Vector256.Create(4f);
        var q = Vector256.Round(quarters);
        var r = (quarters - q) * Vector256.Create(MathF.PI / 2);
        var z = r * r;
        var s = Vector256.Create(-1.9515295891E-4f);
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(8.3321608736E-3f));
        s = Vector256.FusedMultiplyAdd(s, z, Vector256.Create(-1.6666654611E-1f));
        s = Vector256.FusedMultiplyAdd(s * z, r, r);
        var c = Vector256.Create(2.443315711809948E-5f);
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(-1.388731625493765E-3f));
        c = Vector256.FusedMultiplyAdd(c, z, Vector256.Create(4.166664568298827E-2f));
        c = Vector256.FusedMultiplyAdd(c * z, z, Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), Vector256<float>.One));
        var quadrant = Vector256.ConvertToInt32(q);
        var swap = Vector256.Equals(quadrant & Vector256<int>.One, Vector256<int>.One).AsSingle();
        var sin = Vector256.ConditionalSelect(swap, c, s);
        var cos = Vector256.ConditionalSelect(swap, s, c);
        var sinSign = ((quadrant & Vector256.Create(2)) << 30).AsSingle();
        var cosSign = (((quadrant + Vector256<int>.One) & Vector256.Create(2)) << 30).AsSingle();
        return (sin ^ sinSign, cos ^ cosSign);
    }
}
