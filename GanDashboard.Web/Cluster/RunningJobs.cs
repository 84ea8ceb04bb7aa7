namespace GanDashboard.Web.Cluster;

/// <summary>
/// Clustered shutdown: holds the host's stop until the running task jobs have ended. On SIGTERM each job stops at once
/// (a training checkpoints) and hands its task back to the cluster through the job store; registered after Quartz's
/// hosted service, this stops first, so Quartz closes the job store only once the hand-backs are in it.
/// </summary>
public sealed class RunningJobs : IHostedService
{
    private int _running;

    /// <summary>Counts a job as running until the returned handle is disposed.</summary>
    public IDisposable Track()
    {
        Interlocked.Increment(ref _running);
        return new Done(this);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Only while the host stops, bounded by its shutdown timeout: a short look every 100 ms.
        while (Volatile.Read(ref _running) > 0 && !cancellationToken.IsCancellationRequested)
            await Task.Delay(100, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private sealed class Done(RunningJobs owner) : IDisposable
    {
        private RunningJobs? _owner = owner;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _owner, null) is { } o) Interlocked.Decrement(ref o._running);
        }
    }
}
