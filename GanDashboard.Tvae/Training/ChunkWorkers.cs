using System.Runtime.ExceptionServices;
using TorchSharp;

namespace GanDashboard.Tvae.Training;

/// <summary>
/// Runs the chunks of one training step side by side on a few dedicated threads (the caller is one of them).
/// Each thread keeps libtorch to one intra-op thread, so the matrix products of a chunk run where the chunk runs:
/// no OpenMP pool spinning on a busy core, and the work of a step (products and the C# kernels alike) splits
/// evenly. Chunks are taken from a shared counter and a step ends when its chunks are done, not when every
/// thread has checked in, so a thread slowed by other load simply takes fewer. Between steps a worker spins
/// briefly before it sleeps: a step is a few milliseconds and waking a sleeping thread costs tens of microseconds.
/// </summary>
internal sealed class ChunkWorkers : IDisposable
{
    private const int SpinsBeforeSleep = 2000; // a few hundred microseconds

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _wake = new(0);
    private Job? _job;
    private int _sleepers;
    private bool _stopping;

    /// <param name="threads">Threads in all, the caller's included; 1 runs every chunk on the caller.</param>
    public ChunkWorkers(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(1);
        _threads = [.. Enumerable.Range(1, threads - 1).Select(i => new Thread(Serve) { IsBackground = true, Name = $"tvae-chunk-{i}" })];
        foreach (var thread in _threads) thread.Start();
    }

    public int Threads => _threads.Length + 1;

    /// <summary>Calls <paramref name="work"/> once for each index in [0, count) and returns when all calls are done.</summary>
    public void Run(int count, Action<int> work)
    {
        if (count == 1 || _threads.Length == 0)
        {
            for (int i = 0; i < count; i++) work(i);
            return;
        }
        var job = new Job(work, count);
        Volatile.Write(ref _job, job);
        int sleepers = Interlocked.Exchange(ref _sleepers, 0);
        if (sleepers > 0) _wake.Release(sleepers);
        job.TakeChunks();
        var spin = new SpinWait();
        while (Volatile.Read(ref job.Remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
        job.Failure?.Throw();
    }

    private void Serve()
    {
        torch.set_num_threads(1); // OpenMP's thread count is per thread: a new thread would start with every core
        Job? done = null;
        while (true)
        {
            var job = AwaitJob(done);
            if (Volatile.Read(ref _stopping)) return;
            job.TakeChunks();
            done = job;
        }
    }

    /// <summary>Spins, then sleeps, until a job other than <paramref name="done"/> is posted (or the workers stop).</summary>
    private Job AwaitJob(Job? done)
    {
        for (int spins = 0; spins < SpinsBeforeSleep; spins++)
        {
            var job = Volatile.Read(ref _job);
            if ((job != done && job is not null) || Volatile.Read(ref _stopping)) return job!;
            Thread.SpinWait(20);
        }
        while (true)
        {
            Interlocked.Increment(ref _sleepers);
            var job = Volatile.Read(ref _job);
            if ((job != done && job is not null) || Volatile.Read(ref _stopping))
            {
                // Posted between the spin and the announcement: withdraw it unless Run already took it (then a
                // spare wake-up stays in the semaphore, which only costs one extra loop later).
                if (Interlocked.Decrement(ref _sleepers) < 0) Interlocked.Increment(ref _sleepers);
                return job!;
            }
            _wake.Wait();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopping, true);
        if (_threads.Length > 0) _wake.Release(_threads.Length);
        foreach (var thread in _threads) thread.Join();
        _wake.Dispose();
    }

    /// <summary>One call of <see cref="Run"/>: its own counters, so a thread that wakes late finds it finished and takes nothing.</summary>
    private sealed class Job
    {
        private readonly Action<int> _work;
        private readonly int _count;
        private int _next;
        public int Remaining;
        public ExceptionDispatchInfo? Failure;

        public Job(Action<int> work, int count)
        {
            _work = work;
            _count = count;
            Remaining = count;
        }

        public void TakeChunks()
        {
            int index;
            while ((index = Interlocked.Increment(ref _next) - 1) < _count)
            {
                try
                {
                    _work(index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Decrement(ref Remaining);
            }
        }
    }
}
