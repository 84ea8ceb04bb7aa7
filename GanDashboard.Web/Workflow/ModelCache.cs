using GanDashboard.Core.Caching;
using GanDashboard.Web.Api;
using GanDashboard.Web.Metrics;
using GanDashboard.Web.Tasks;
using Microsoft.Extensions.Options;

namespace GanDashboard.Web.Workflow;

/// <summary>Trained models kept loaded between generations (LRU, at most <see cref="WorkOptions.ModelCacheSize"/>); evicted models are disposed.</summary>
public sealed class ModelCache(IOptions<WorkOptions> options, GanDashboardMetrics metrics) : IDisposable
{
    private readonly LruCache<Guid, IDisposable> _cache = new(Math.Max(1, options.Value.ModelCacheSize));

    public async Task<T> GetOrLoadAsync<T>(Guid modelId, Func<Task<T>> load) where T : class, IDisposable
    {
        if (_cache.TryGet(modelId, out var cached) && cached is T model)
        {
            metrics.ModelCacheHit();
            return model;
        }
        metrics.ModelCacheMiss();
        var loaded = await load();
        _cache.Set(modelId, loaded);
        return loaded;
    }

    public void Remove(Guid modelId) => _cache.Remove(modelId);

    public void Clear() => _cache.Clear();

    public CacheStatistics Statistics() => new(_cache.Count, _cache.Capacity, _cache.Hits, _cache.Misses, _cache.Evictions);

    public void Dispose() => _cache.Clear();
}
