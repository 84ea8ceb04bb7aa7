using System.Runtime.InteropServices;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// A native array on cache lines of its own (64-byte aligned, rounded up to whole lines), zeroed. The scratch of
/// chunks computed side by side lives in these: managed arrays made one after the other share cache lines, and
/// two threads writing neighbouring small arrays slowed every step (false sharing).
/// </summary>
internal sealed unsafe class AlignedMemory<T> : IDisposable where T : unmanaged
{
    private const int Line = 64;

    public AlignedMemory(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = ((nuint)Math.Max(length, 1) * (nuint)sizeof(T) + Line - 1) / Line * Line;
        Ptr = (T*)NativeMemory.AlignedAlloc(bytes, Line);
        NativeMemory.Clear(Ptr, bytes);
    }

    public T* Ptr { get; private set; }
    public int Length { get; }
    public Span<T> Span => new(Ptr, Length);

    public void Dispose()
    {
        if (Ptr == null) return;
        NativeMemory.AlignedFree(Ptr);
        Ptr = null;
    }
}
