using GanDashboard.Web.Tasks;
using Microsoft.AspNetCore.Components;

namespace GanDashboard.Web.Components.Shared;

/// <summary>
/// A page that follows every task event pushed by the <see cref="TaskNotifier"/>: it subscribes once,
/// lets the page react in <see cref="OnTaskEventAsync"/> on the renderer's thread, re-renders and
/// unsubscribes when the page goes away. No polling.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private volatile bool _disposed;

    [Inject] protected TaskNotifier Notifier { get; set; } = default!;

    /// <summary>Pages load their data in OnInitializedAsync; the subscription is made here so no page can forget it.</summary>
    protected sealed override void OnInitialized() =>
        _subscription = Notifier.Subscribe(null, e => _disposed ? Task.CompletedTask : InvokeAsync(async () =>
        {
            // An event already queued when the page closed must not touch it.
            if (_disposed) return;
            await OnTaskEventAsync(e);
            StateHasChanged();
        }));

    /// <summary>Called for each task event, on the renderer's thread; refresh what the event changes.</summary>
    protected virtual Task OnTaskEventAsync(TaskEvent taskEvent) => Task.CompletedTask;

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
