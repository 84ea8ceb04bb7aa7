using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// The encoder's input for the rows of a chunk in the form of <see cref="InputColumns"/>: per row, the values of
/// the dense columns and the column number of the one set in each one-hot span. Pinned, so the kernels read it
/// by address.
/// </summary>
internal sealed unsafe class RowInput
{
    public RowInput(InputColumns columns, int rows)
    {
        Columns = columns;
        Rows = rows;
        Dense = GC.AllocateArray<float>(rows * columns.DenseColumns.Length, pinned: true);
        Hot = GC.AllocateArray<int>(rows * columns.HotSpans.Length, pinned: true);
        DenseColumns = GC.AllocateArray<int>(columns.DenseColumns.Length, pinned: true);
        columns.DenseColumns.CopyTo(DenseColumns, 0);
    }

    public InputColumns Columns { get; }
    public int Rows { get; }
    /// <summary>Row-major <c>[rows, dense columns]</c>.</summary>
    public float[] Dense { get; }
    /// <summary>Row-major <c>[rows, hot spans]</c>: the input column that is 1 in each one-hot span.</summary>
    public int[] Hot { get; }
    public int[] DenseColumns { get; }

    public float* DensePtr => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Dense));
    public int* HotPtr => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Hot));
    public int* DenseColumnsPtr => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(DenseColumns));
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
        int denseCount = input.DenseColumns.Length, hotCount = input.Columns.HotSpans.Length;
        float* dense = input.DensePtr;
        int* hot = input.HotPtr;
        int* columns = input.DenseColumnsPtr;
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
    /// The weight gradient, transposed (<c>[width, hidden]</c>, overwritten): each row's gradient added to the rows
    /// of its one-hot columns and, scaled, of its dense columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradient(RowInput input, float* gradient, int hidden, float* weightGradientT)
    {
        int denseCount = input.DenseColumns.Length, hotCount = input.Columns.HotSpans.Length;
        float* dense = input.DensePtr;
        int* hot = input.HotPtr;
        int* columns = input.DenseColumnsPtr;
        new Span<float>(weightGradientT, input.Columns.Width * hidden).Clear();
        for (int r = 0; r < input.Rows; r++)
        {
            float* values = dense + (long)r * denseCount;
            int* ones = hot + (long)r * hotCount;
            float* g = gradient + (long)r * hidden;
            for (int d = 0; d < denseCount; d++) AddScaled(weightGradientT + (long)columns[d] * hidden, g, values[d], hidden);
            for (int s = 0; s < hotCount; s++) Kernels.AddInto(weightGradientT + (long)ones[s] * hidden, g, hidden);
        }
    }

    private static void AddScaled(float* destination, float* source, float scale, int count)
    {
        var v = Vector256.Create(scale);
        int i = 0;
        for (; i + W <= count; i += W) Vector256.FusedMultiplyAdd(v, Vector256.Load(source + i), Vector256.Load(destination + i)).Store(destination + i);
        for (; i < count; i++) destination[i] = MathF.FusedMultiplyAdd(scale, source[i], destination[i]);
    }
}
