using System.Runtime.ExceptionServices;
using TorchSharp;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// Runs the chunks of one training step side by side on a few dedicated threads (the caller is one of them).
/// Each thread keeps libtorch to one intra-op thread, so the matrix products of a chunk run where the chunk runs:
/// no OpenMP pool spinning on a busy core, and the work of a step (products and the C# kernels alike) splits
/// evenly. Chunks are taken from a shared counter, so a thread slowed by other load simply takes fewer.
/// </summary>
internal sealed class ChunkWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly ManualResetEventSlim _done = new();
    private Action<int> _work = _ => { };
    private int _count;
    private int _next;
    private int _running;
    private bool _stopping;
    private ExceptionDispatchInfo? _failure;

    /// <param name="threads">Threads in all, the caller's included; 1 runs every chunk on the caller.</param>
    public ChunkWorkers(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(1);
        _go = [.. Enumerable.Range(0, threads - 1).Select(_ => new SemaphoreSlim(0))];
        _threads = [.. Enumerable.Range(0, threads - 1).Select(i => new Thread(() => Serve(i)) { IsBackground = true, Name = $"tvae-chunk-{i + 1}" })];
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Calls <paramref name="work"/> once for each chunk index in [0, count) and returns when all are done.</summary>
    public void Run(int count, Action<int> work)
    {
        if (count == 1 || _threads.Length == 0)
        {
            for (int i = 0; i < count; i++) work(i);
            return;
        }
        _work = work;
        _count = count;
        _next = 0;
        _failure = null;
        _running = _threads.Length + 1;
        _done.Reset();
        foreach (var go in _go) go.Release();
        TakeChunks();
        if (Interlocked.Decrement(ref _running) != 0) _done.Wait();
        _failure?.Throw();
    }

    private void TakeChunks()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                _work(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }
    }

    private void Serve(int index)
    {
        torch.set_num_threads(1); // OpenMP's thread count is per thread: a new thread would start with every core
        while (true)
        {
            _go[index].Wait();
            if (Volatile.Read(ref _stopping)) return;
            TakeChunks();
            if (Interlocked.Decrement(ref _running) == 0) _done.Set();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopping, true);
        foreach (var go in _go) go.Release();
        foreach (var thread in _threads) thread.Join();
        foreach (var go in _go) go.Dispose();
        _done.Dispose();
    }
}
