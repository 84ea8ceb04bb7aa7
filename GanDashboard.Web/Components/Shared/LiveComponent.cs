using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Components;

namespace GanDashboard.Web.Components.Shared;

/// <summary>
/// A page that follows every task event pushed by the <see cref="TaskNotifier"/>: it subscribes once,
/// lets the page react in <see cref="OnTaskEventAsync"/> on the renderer's thread, reloads what it shows of task,
/// machine and dataset state in <see cref="RefreshAsync"/>, re-renders and unsubscribes when the page goes away.
/// No polling: refreshes follow events.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    /// <summary>
    /// While a task streams progress events, state changes without an event of its own (a pipeline's seed data, dataset
    /// and model appear between its progress events): pages reload at most this often then, and once after the last one.
    /// </summary>
    private static readonly TimeSpan ProgressRefreshInterval = TimeSpan.FromSeconds(0.8);

    private IDisposable? _subscription;
    private volatile bool _disposed;
    private DateTime _lastRefresh = DateTime.MinValue;
    private bool _refreshScheduled;

    [Inject] protected TaskNotifier Notifier { get; set; } = default!;

    /// <summary>Pages load their data in OnInitializedAsync; the subscription is made here so no page can forget it.</summary>
    protected sealed override void OnInitialized() =>
        _subscription = Notifier.Subscribe(null, e => _disposed ? Task.CompletedTask : InvokeAsync(async () =>
        {
            // An event already queued when the page closed must not touch it.
            if (_disposed) return;
            await OnTaskEventAsync(e);
            if (!Concerns(e)) { /* nothing to reload; OnTaskEventAsync may still have changed what is shown */ }
            else if (e.Type is TaskEvent.Types.Progress or TaskEvent.Types.TrainingProgress) await RefreshSoonAsync();
            else await RefreshNowAsync();
            StateHasChanged();
        }));

    /// <summary>Called for each task event, on the renderer's thread; keep what the event itself carries (progress, messages).</summary>
    protected virtual Task OnTaskEventAsync(TaskEvent taskEvent) => Task.CompletedTask;

    /// <summary>Whether an event can change what the page shows (e.g. the machine page follows one machine).</summary>
    protected virtual bool Concerns(TaskEvent taskEvent) => true;

    /// <summary>Reloads the page's task, machine and dataset state from the store, whoever started the work.</summary>
    protected virtual Task RefreshAsync() => Task.CompletedTask;

    private async Task RefreshNowAsync()
    {
        _lastRefresh = DateTime.UtcNow;
        await RefreshAsync();
    }

    private async Task RefreshSoonAsync()
    {
        var wait = _lastRefresh + ProgressRefreshInterval - DateTime.UtcNow;
        if (wait <= TimeSpan.Zero)
        {
            await RefreshNowAsync();
            return;
        }
        if (_refreshScheduled) return;
        _refreshScheduled = true;
        _ = Task.Delay(wait).ContinueWith(_ => InvokeAsync(async () =>
        {
            _refreshScheduled = false;
            if (_disposed) return;
            await RefreshNowAsync();
            StateHasChanged();
        }), TaskScheduler.Default);
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
