using System.Runtime.InteropServices;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// Single-precision matrix products through the BLAS inside libtorch (oneMKL's <c>sgemm_</c>, exported by
/// libtorch_cpu), called on raw memory. Through a tensor call the same product pays 4-8 us of dispatch and
/// wrapper objects on every one of the 34 products of a step; this pays none. Matrices are row-major; the
/// Fortran interface is column-major, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T.
/// Threads: as many as the calling thread's OpenMP setting (<c>torch.set_num_threads</c>) allows.
/// </summary>
internal static unsafe partial class Blas
{
    /// <summary>
    /// c[m, n] = op(a) @ op(b), overwriting c; op(a) is <c>[m, k]</c> (stored <c>[k, m]</c> when
    /// <paramref name="transposeA"/>), op(b) is <c>[k, n]</c> (stored <c>[n, k]</c> when <paramref name="transposeB"/>).
    /// </summary>
    public static void Multiply(float* a, bool transposeA, float* b, bool transposeB, float* c, int m, int n, int k)
    {
        byte opB = transposeB ? (byte)'T' : (byte)'N';
        byte opA = transposeA ? (byte)'T' : (byte)'N';
        int ldb = transposeB ? k : n;
        int lda = transposeA ? m : k;
        float one = 1f, zero = 0f;
        Sgemm(&opB, &opA, &n, &m, &k, &one, b, &ldb, a, &lda, &zero, c, &n);
    }

    [LibraryImport("torch_cpu", EntryPoint = "sgemm_")]
    private static partial void Sgemm(byte* transa, byte* transb, int* m, int* n, int* k, float* alpha, float* a, int* lda, float* b, int* ldb, float* beta, float* c, int* ldc);
}
