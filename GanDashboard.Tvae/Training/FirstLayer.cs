using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The encoder's input for the rows of a chunk in the form of <see cref="InputColumns"/>: per row, the values of
/// the dense columns and the column number of the one set in each one-hot span, plus the weight gradient's
/// scratch. Native memory, so the kernels read it by address and chunks side by side share no cache line.
/// </summary>
internal sealed unsafe class RowInput : IDisposable
{
    private readonly AlignedMemory<float> _dense, _scales;
    private readonly AlignedMemory<int> _hot, _denseColumns, _order, _spanFirsts, _spanNext;

    public RowInput(InputColumns columns, int rows)
    {
        Columns = columns;
        Rows = rows;
        _dense = new AlignedMemory<float>(rows * columns.DenseColumns.Length);
        _hot = new AlignedMemory<int>(rows * columns.HotSpans.Length);
        _denseColumns = new AlignedMemory<int>(columns.DenseColumns.Length);
        columns.DenseColumns.CopyTo(_denseColumns.Span);
        _scales = new AlignedMemory<float>(rows);
        _order = new AlignedMemory<int>(rows);
        int widest = columns.HotSpans.Length == 0 ? 0 : columns.HotSpans.Max(s => s.Width);
        _spanFirsts = new AlignedMemory<int>(widest + 1);
        _spanNext = new AlignedMemory<int>(widest);
    }

    public InputColumns Columns { get; }
    public int Rows { get; }
    /// <summary>Row-major <c>[rows, dense columns]</c>.</summary>
    public float* Dense => _dense.Ptr;
    /// <summary>Row-major <c>[rows, hot spans]</c>: the input column that is 1 in each one-hot span.</summary>
    public int* Hot => _hot.Ptr;
    public int* DenseColumns => _denseColumns.Ptr;
    public int DenseCount => _denseColumns.Length;

    // Scratch of the weight gradient: one dense column's values, the rows in order of their one-hot column, and
    // where each column's rows start.
    public float* Scales => _scales.Ptr;
    public int* Order => _order.Ptr;
    public int* SpanFirsts => _spanFirsts.Ptr;
    public int* SpanNext => _spanNext.Ptr;

    public void Dispose()
    {
        foreach (var memory in new IDisposable[] { _dense, _scales, _hot, _denseColumns, _order, _spanFirsts, _spanNext }) memory.Dispose();
    }
}

/// <summary>
/// The first encoder layer over a <see cref="RowInput"/>: a one-hot column adds one row of the transposed weight
/// and a dense column one scaled row, so a row costs (dense + hot) weight rows instead of the whole input width.
/// Works row by row: its activation (and gradient) is row-major <c>[rows, hidden]</c>, which the next layer's
/// products read as a transposed operand at no cost.
/// </summary>
internal static unsafe class FirstLayer
{
    private const int W = 8;
    private const int Block = 64; // eight accumulators of 8

    /// <summary>output[r, :] = ReLU(bias + sum of the row's weight rows), from the transposed weight <c>[width, hidden]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(RowInput input, float* weightsT, float* bias, int hidden, float* output)
    {
        int denseCount = input.DenseCount, hotCount = input.Columns.HotSpans.Length;
        float* dense = input.Dense;
        int* hot = input.Hot;
        int* columns = input.DenseColumns;
        var zero = Vector256<float>.Zero;
        for (int r = 0; r < input.Rows; r++)
        {
            float* values = dense + (long)r * denseCount;
            int* ones = hot + (long)r * hotCount;
            float* o = output + (long)r * hidden;
            int f = 0;
            for (; f + Block <= hidden; f += Block)
            {
                var a0 = Vector256.Load(bias + f); var a1 = Vector256.Load(bias + f + 8);
                var a2 = Vector256.Load(bias + f + 16); var a3 = Vector256.Load(bias + f + 24);
                var a4 = Vector256.Load(bias + f + 32); var a5 = Vector256.Load(bias + f + 40);
                var a6 = Vector256.Load(bias + f + 48); var a7 = Vector256.Load(bias + f + 56);
                for (int d = 0; d < denseCount; d++)
                {
                    var v = Vector256.Create(values[d]);
                    float* w = weightsT + (long)columns[d] * hidden + f;
                    a0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w), a0); a1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 8), a1);
                    a2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 16), a2); a3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 24), a3);
                    a4 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 32), a4); a5 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 40), a5);
                    a6 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 48), a6); a7 = Vector256.FusedMultiplyAdd(v, Vector256.Load(w + 56), a7);
                }
                for (int s = 0; s < hotCount; s++)
                {
                    float* w = weightsT + (long)ones[s] * hidden + f;
                    a0 += Vector256.Load(w); a1 += Vector256.Load(w + 8); a2 += Vector256.Load(w + 16); a3 += Vector256.Load(w + 24);
                    a4 += Vector256.Load(w + 32); a5 += Vector256.Load(w + 40); a6 += Vector256.Load(w + 48); a7 += Vector256.Load(w + 56);
                }
                Vector256.Max(a0, zero).Store(o + f); Vector256.Max(a1, zero).Store(o + f + 8);
                Vector256.Max(a2, zero).Store(o + f + 16); Vector256.Max(a3, zero).Store(o + f + 24);
                Vector256.Max(a4, zero).Store(o + f + 32); Vector256.Max(a5, zero).Store(o + f + 40);
                Vector256.Max(a6, zero).Store(o + f + 48); Vector256.Max(a7, zero).Store(o + f + 56);
            }
            for (; f + W <= hidden; f += W)
            {
                var a = Vector256.Load(bias + f);
                for (int d = 0; d < denseCount; d++) a = Vector256.FusedMultiplyAdd(Vector256.Create(values[d]), Vector256.Load(weightsT + (long)columns[d] * hidden + f), a);
                for (int s = 0; s < hotCount; s++) a += Vector256.Load(weightsT + (long)ones[s] * hidden + f);
                Vector256.Max(a, zero).Store(o + f);
            }
            for (; f < hidden; f++)
            {
                float a = bias[f];
                for (int d = 0; d < denseCount; d++) a = MathF.FusedMultiplyAdd(values[d], weightsT[(long)columns[d] * hidden + f], a);
                for (int s = 0; s < hotCount; s++) a += weightsT[(long)ones[s] * hidden + f];
                o[f] = MathF.Max(a, 0f);
            }
        }
    }

    /// <summary>
    /// The weight gradient, transposed (<c>[width, hidden]</c>, overwritten). Row j is the sum of the gradient rows
    /// of the rows whose one-hot column is j, or for a dense column the sum of every gradient row scaled by the
    /// row's value; each is summed in registers and stored once (adding row by row into memory was store-bound).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradient(RowInput input, float* gradient, int hidden, float* weightGradientT)
    {
        int n = input.Rows, denseCount = input.DenseCount, hotCount = input.Columns.HotSpans.Length;
        new Span<float>(weightGradientT, input.Columns.Width * hidden).Clear();
        float* scales = input.Scales;
        for (int d = 0; d < denseCount; d++)
        {
            for (int r = 0; r < n; r++) scales[r] = input.Dense[(long)r * denseCount + d];
            SumRows(gradient, hidden, null, scales, n, weightGradientT + (long)input.DenseColumns[d] * hidden);
        }
        // Per span, the rows in order of their column (a counting sort), then one sum per column.
        int* order = input.Order;
        var firsts = input.SpanFirsts;
        var next = input.SpanNext;
        for (int s = 0; s < hotCount; s++)
        {
            var span = input.Columns.HotSpans[s];
            new Span<int>(firsts, span.Width + 1).Clear();
            int* hot = input.Hot + s;
            for (int r = 0; r < n; r++) firsts[hot[(long)r * hotCount] - span.Start + 1]++;
            for (int k = 0; k < span.Width; k++) firsts[k + 1] += firsts[k];
            new Span<int>(firsts, span.Width).CopyTo(new Span<int>(next, span.Width));
            for (int r = 0; r < n; r++) order[next[hot[(long)r * hotCount] - span.Start]++] = r;
            for (int k = 0; k < span.Width; k++)
            {
                int count = firsts[k + 1] - firsts[k];
                if (count > 0) SumRows(gradient, hidden, order + firsts[k], null, count, weightGradientT + (long)(span.Start + k) * hidden);
            }
        }
    }

    /// <summary>
    /// destination[f] = sum over i of scale_i * gradient[row_i, f]: rows from <paramref name="rows"/> (or 0..count-1
    /// when null), scales from <paramref name="scales"/> (or 1 when null).
    /// </summary>
    private static void SumRows(float* gradient, int hidden, int* rows, float* scales, int count, float* destination)
    {
        int f = 0;
        for (; f + Block <= hidden; f += Block)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < count; i++)
            {
                float* g = gradient + (long)(rows == null ? i : rows[i]) * hidden + f;
                var v = Vector256.Create(scales == null ? 1f : scales[i]);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g), a0); a1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 16), a2); a3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 24), a3);
                a4 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 32), a4); a5 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 40), a5);
                a6 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 48), a6); a7 = Vector256.FusedMultiplyAdd(v, Vector256.Load(g + 56), a7);
            }
            a0.Store(destination + f); a1.Store(destination + f + 8); a2.Store(destination + f + 16); a3.Store(destination + f + 24);
            a4.Store(destination + f + 32); a5.Store(destination + f + 40); a6.Store(destination + f + 48); a7.Store(destination + f + 56);
        }
        for (; f + W <= hidden; f += W)
        {
            Vector256<float> a = default;
            for (int i = 0; i < count; i++) a = Vector256.FusedMultiplyAdd(Vector256.Create(scales == null ? 1f : scales[i]), Vector256.Load(gradient + (long)(rows == null ? i : rows[i]) * hidden + f), a);
            a.Store(destination + f);
        }
        for (; f < hidden; f++)
        {
            float a = 0;
            for (int i = 0; i < count; i++) a = MathF.FusedMultiplyAdd(scales == null ? 1f : scales[i], gradient[(long)(rows == null ? i : rows[i]) * hidden + f], a);
            destination[f] = a;
        }
    }
}
